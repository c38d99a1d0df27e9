using System.Security;

namespace EcsRoleAuditor.Aws.Tests.Clients;

/// <summary>
/// Response bodies in the shape of the examples in AWS's API references (IAM 2010-05-08, ECS 2014-11-13, SNS
/// 2010-03-31, STS 2011-06-15, Organizations 2016-11-28, SQS 2012-11-05). Policy documents are URL-encoded as IAM sends them.
/// </summary>
internal static class AwsExamples
{
    public const string TrustPolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["ecs-tasks.amazonaws.com"]},"Action":["sts:AssumeRole"]}]}""";
    public const string InlinePolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::example-bucket","arn:aws:s3:::example-bucket/*"],"Condition":{"StringLike":{"s3:prefix":["home/${aws:username}/*","a+b & c"]}}}]}""";
    public const string ManagedPolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:GetAuthorizationToken","Resource":"*"}]}""";

    /// <summary>An alert as the auditor publishes it: a subject, a JSON structure and one attribute of each type.</summary>
    public static Api.SnsMessage Alert(string topicArn) => new(
        topicArn,
        """{"default":"2 findings","email":"ERA021 & ERA041"}""",
        "ECS role audit: 2 findings",
        JsonStructure: true,
        new Dictionary<string, Api.SnsMessageAttributeValue>
        {
            ["severity"] = Api.SnsMessageAttributeValue.Text("high"),
            ["rules"] = Api.SnsMessageAttributeValue.TextList(["ERA021", "ERA041"]),
            ["count"] = Api.SnsMessageAttributeValue.Numeric(2),
        });

    public static string Encoded(string document) => SecurityElement.Escape(Uri.EscapeDataString(document));

    public static string Query(string action, string result) => $"""
        <{action}Response xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
          <{action}Result>
            {result}
          </{action}Result>
          <ResponseMetadata>
            <RequestId>df37e965-9967-11e1-a4c3-270EXAMPLE04</RequestId>
          </ResponseMetadata>
        </{action}Response>
        """;

    public static string GetRole => Query("GetRole", $"""
        <Role>
          <Path>/application_abc/component_xyz/</Path>
          <Arn>arn:aws:iam::123456789012:role/application_abc/component_xyz/S3Access</Arn>
          <RoleName>S3Access</RoleName>
          <AssumeRolePolicyDocument>{Encoded(TrustPolicy)}</AssumeRolePolicyDocument>
          <CreateDate>2012-05-08T23:34:01Z</CreateDate>
          <RoleId>AROADBQP57FF2AEXAMPLE</RoleId>
          <MaxSessionDuration>3600</MaxSessionDuration>
          <PermissionsBoundary>
            <PermissionsBoundaryType>Policy</PermissionsBoundaryType>
            <PermissionsBoundaryArn>arn:aws:iam::123456789012:policy/Boundary</PermissionsBoundaryArn>
          </PermissionsBoundary>
          <Tags>
            <member><Key>team</Key><Value>payments</Value></member>
            <member><Key>empty</Key><Value></Value></member>
          </Tags>
          <RoleLastUsed>
            <LastUsedDate>2019-11-18T05:12:00Z</LastUsedDate>
            <Region>us-east-1</Region>
          </RoleLastUsed>
        </Role>
        """);

    public static string ListRolePolicies(bool truncated) => Query("ListRolePolicies", $"""
        <PolicyNames>
          <member>CloudwatchPutMetricPolicy</member>
          <member>S3AccessPolicy</member>
        </PolicyNames>
        <IsTruncated>{(truncated ? "true" : "false")}</IsTruncated>
        {(truncated ? "<Marker>AAEAAB+page2/marker==</Marker>" : string.Empty)}
        """);

    public static string GetRolePolicy => Query("GetRolePolicy", $"""
        <PolicyName>S3AccessPolicy</PolicyName>
        <RoleName>S3Access</RoleName>
        <PolicyDocument>{Encoded(InlinePolicy)}</PolicyDocument>
        """);

    public static string ListAttachedRolePolicies => Query("ListAttachedRolePolicies", """
        <AttachedPolicies>
          <member>
            <PolicyName>ReadOnlyAccess</PolicyName>
            <PolicyArn>arn:aws:iam::aws:policy/ReadOnlyAccess</PolicyArn>
          </member>
        </AttachedPolicies>
        <IsTruncated>true</IsTruncated>
        <Marker>EXAMPLEkakv9BCuUNFDtxWSyfzetYwEx2ADc8dnzfvERF5S6YMvXKx41t6gCl/eeaCX3Jo94/bKqezEAg8TEVS99EKFLxm3jtbpl25FDWEXAMPLE</Marker>
        """);

    public static string GetPolicy => Query("GetPolicy", """
        <Policy>
          <PolicyName>S3-read-only-example-bucket</PolicyName>
          <DefaultVersionId>v1</DefaultVersionId>
          <PolicyId>AGPACKCEVSQ6C2EXAMPLE</PolicyId>
          <Path>/</Path>
          <Arn>arn:aws:iam::123456789012:policy/S3-read-only-example-bucket</Arn>
          <AttachmentCount>9</AttachmentCount>
          <CreateDate>2014-09-15T17:36:14Z</CreateDate>
          <IsAttachable>true</IsAttachable>
          <UpdateDate>2014-09-15T20:31:47Z</UpdateDate>
        </Policy>
        """);

    public static string GetPolicyVersion => Query("GetPolicyVersion", $"""
        <PolicyVersion>
          <Document>{Encoded(ManagedPolicy)}</Document>
          <IsDefaultVersion>true</IsDefaultVersion>
          <VersionId>v1</VersionId>
          <CreateDate>2014-09-15T20:31:47Z</CreateDate>
        </PolicyVersion>
        """);

    public static string GetAccountAuthorizationDetails => Query("GetAccountAuthorizationDetails", $"""
        <IsTruncated>true</IsTruncated>
        <Marker>EXAMPLEkakv9BCuUNFDtxWSyfzetYwEx2ADc8dnzfvERF5S6YMvXKx41t6gCl</Marker>
        <UserDetailList/>
        <GroupDetailList/>
        <RoleDetailList>
          <member>
            <RoleName>EC2role</RoleName>
            <RoleId>AROA1234567890EXAMPLE</RoleId>
            <Path>/</Path>
            <Arn>arn:aws:iam::123456789012:role/EC2role</Arn>
            <AssumeRolePolicyDocument>{Encoded(TrustPolicy)}</AssumeRolePolicyDocument>
            <CreateDate>2014-07-30T17:09:20Z</CreateDate>
            <InstanceProfileList/>
            <RolePolicyList>
              <member>
                <PolicyName>S3AccessPolicy</PolicyName>
                <PolicyDocument>{Encoded(InlinePolicy)}</PolicyDocument>
              </member>
            </RolePolicyList>
            <AttachedManagedPolicies>
              <member>
                <PolicyName>AmazonS3FullAccess</PolicyName>
                <PolicyArn>arn:aws:iam::aws:policy/AmazonS3FullAccess</PolicyArn>
              </member>
            </AttachedManagedPolicies>
            <Tags>
              <member><Key>team</Key><Value>platform</Value></member>
            </Tags>
          </member>
          <member>
            <RoleName>Bounded</RoleName>
            <Path>/service-role/</Path>
            <Arn>arn:aws:iam::123456789012:role/service-role/Bounded</Arn>
            <AssumeRolePolicyDocument>{Encoded(TrustPolicy)}</AssumeRolePolicyDocument>
            <RolePolicyList/>
            <AttachedManagedPolicies/>
            <PermissionsBoundary>
              <PermissionsBoundaryType>Policy</PermissionsBoundaryType>
              <PermissionsBoundaryArn>arn:aws:iam::123456789012:policy/Boundary</PermissionsBoundaryArn>
            </PermissionsBoundary>
          </member>
        </RoleDetailList>
        <Policies>
          <member>
            <PolicyName>create-update-delete-set-managed-policies</PolicyName>
            <DefaultVersionId>v2</DefaultVersionId>
            <PolicyId>ANPA1234567890EXAMPLE</PolicyId>
            <Path>/</Path>
            <Arn>arn:aws:iam::123456789012:policy/create-update-delete-set-managed-policies</Arn>
            <PolicyVersionList>
              <member>
                <Document>{Encoded(ManagedPolicy)}</Document>
                <IsDefaultVersion>true</IsDefaultVersion>
                <VersionId>v2</VersionId>
              </member>
              <member>
                <Document>{Encoded(InlinePolicy)}</Document>
                <IsDefaultVersion>false</IsDefaultVersion>
                <VersionId>v1</VersionId>
              </member>
            </PolicyVersionList>
          </member>
        </Policies>
        """);

    public static string QueryError(string code, string message, string type = "Sender") => $"""
        <ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
          <Error>
            <Type>{type}</Type>
            <Code>{code}</Code>
            <Message>{message}</Message>
          </Error>
          <RequestId>8a6c7e36-1b1e-11e2-bb4c-EXAMPLE1234</RequestId>
        </ErrorResponse>
        """;

    public static string Publish => """
        <PublishResponse xmlns="https://sns.amazonaws.com/doc/2010-03-31/">
          <PublishResult>
            <MessageId>567910cd-659e-55d4-8ccb-5aaf14679dc0</MessageId>
          </PublishResult>
          <ResponseMetadata>
            <RequestId>d74b8436-ae13-5ab4-a9ff-ce54dfea72a0</RequestId>
          </ResponseMetadata>
        </PublishResponse>
        """;

    public static string AssumeRole(string accessKey, string sessionToken, DateTime expiration) => $"""
        <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <AssumeRoleResult>
            <SourceIdentity>Alice</SourceIdentity>
            <AssumedRoleUser>
              <Arn>arn:aws:sts::123456789012:assumed-role/demo/TestAR</Arn>
              <AssumedRoleId>ARO123EXAMPLE123:TestAR</AssumedRoleId>
            </AssumedRoleUser>
            <Credentials>
              <AccessKeyId>{accessKey}</AccessKeyId>
              <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
              <SessionToken>{sessionToken}</SessionToken>
              <Expiration>{expiration:yyyy-MM-ddTHH:mm:ssZ}</Expiration>
            </Credentials>
            <PackedPolicySize>8</PackedPolicySize>
          </AssumeRoleResult>
          <ResponseMetadata>
            <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
          </ResponseMetadata>
        </AssumeRoleResponse>
        """;

    public const string DescribeTaskDefinition = """
        {"taskDefinition":{"taskDefinitionArn":"arn:aws:ecs:us-east-1:012345678910:task-definition/hello_world:8","family":"hello_world","revision":8,"taskRoleArn":"arn:aws:iam::012345678910:role/app","executionRoleArn":"arn:aws:iam::012345678910:role/ecsTaskExecutionRole","networkMode":"awsvpc","containerDefinitions":[{"name":"wordpress","image":"wordpress","cpu":10,"memory":500,"essential":true,"links":["mysql"],"portMappings":[{"containerPort":80,"hostPort":80}],"environment":[],"mountPoints":[],"volumesFrom":[]}],"volumes":[],"status":"ACTIVE","registeredAt":1.6e9},"tags":[{"key":"team","value":"web"}]}
        """;

    public const string ListTaskDefinitions = """
        {"nextToken":"eyJlbmNyeXB0ZWREYXRhIjpbXX0=","taskDefinitionArns":["arn:aws:ecs:us-east-1:012345678910:task-definition/wordpress:3","arn:aws:ecs:us-east-1:012345678910:task-definition/wordpress:4"]}
        """;

    public const string ListTaskDefinitionFamilies = """
        {"families":["node-js-app","web-timer","hpcc","hpcc-c4-8xlarge"]}
        """;

    // ListAccounts as the AWS Organizations API Reference shows it ("ListAccounts", Response Syntax; "Account" for State,
    // which AWS keeps, and Status, which it retires on 9 September 2026). Timestamps are epoch seconds (awsJson1_1).
    public const string ListAccountsFirstPage = """
        {"Accounts":[
          {"Arn":"arn:aws:organizations::111111111111:account/o-exampleorgid/111111111111","Email":"bill@example.com","Id":"111111111111","JoinedMethod":"INVITED","JoinedTimestamp":1481830215.45,"Name":"Master Account","Status":"ACTIVE","State":"ACTIVE","Paths":["o-exampleorgid/r-examplerootid111/111111111111"]},
          {"Arn":"arn:aws:organizations::111111111111:account/o-exampleorgid/222222222222","Email":"alice@example.com","Id":"222222222222","JoinedMethod":"INVITED","JoinedTimestamp":1481835741.044,"Name":"Production Account","Status":"SUSPENDED","State":"SUSPENDED"},
          {"Arn":"arn:aws:organizations::111111111111:account/o-exampleorgid/333333333333","Email":"juan@example.com","Id":"333333333333","JoinedMethod":"INVITED","JoinedTimestamp":1481835795.536,"Name":"Development Account","Status":"ACTIVE","State":"PENDING_ACTIVATION"}
        ],"NextToken":"AAQAAAAAAAAAAAexampletoken1"}
        """;

    // The second page: an account without State (an answer from before State), one without Status (after its
    // retirement), and one with a value this code does not know.
    public const string ListAccountsLastPage = """
        {"Accounts":[
          {"Arn":"arn:aws:organizations::111111111111:account/o-exampleorgid/444444444444","Id":"444444444444","Name":"Test Account","Status":"ACTIVE"},
          {"Arn":"arn:aws:organizations::111111111111:account/o-exampleorgid/555555555555","Id":"555555555555","Name":"Sandbox","State":"ACTIVE"},
          {"Id":"666666666666","Name":"Future","State":"HIBERNATING"}
        ]}
        """;

    // SendMessageBatch as the Amazon SQS API Reference shows it ("SendMessageBatch", Response Syntax): MD5OfMessageBody
    // is the MD5 of the body sent, as lowercase hex.
    public static string SendMessageBatchAnswer(IEnumerable<(string Id, string Body)> successful, string failed = "") =>
        $$"""{"Successful":[{{string.Join(",", successful.Select(s => $$"""{"Id":"{{s.Id}}","MessageId":"{{Guid.NewGuid()}}","MD5OfMessageBody":"{{Md5(s.Body)}}"}"""))}}],"Failed":[{{failed}}]}""";

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5351", Justification = "SQS's body digest is MD5 by protocol.")]
    public static string Md5(string body) => Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(body)));

    public static string JsonError(string type, string message) => $$"""{"__type":"{{type}}","message":"{{message}}"}""";
}
