namespace EcsRoleAuditor.Cli.Tests;

/// <summary>
/// A task definition reading a secret and a SecureString parameter, and its current execution role, which decrypts with
/// any key: the input says no key, so fix keeps that kms:Decrypt (kept to the two services' endpoints) in the policy that
/// replaces the role's. Amazon ECS Developer Guide, "Amazon ECS task execution IAM role" (kms:Decrypt for a customer
/// managed key); AWS KMS Developer Guide, "kms:ViaService".
/// </summary>
internal static class FixKeptKmsDecryptInput
{
    /// <summary>The kept statement as the JSON format prints it, compact.</summary>
    public const string KeptStatement =
        """{"Sid":"KeptKmsDecrypt","Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:ViaService":["secretsmanager.eu-west-1.amazonaws.com","ssm.eu-west-1.amazonaws.com"]}}}""";

    /// <summary>Writes the task definition and the <c>get-account-authorization-details</c> export; returns their paths.</summary>
    public static (string TaskDefinitions, string Iam) Write(ScratchFolder dir) => (
        dir.Write("web.json", """
            {"taskDefinition":{"taskDefinitionArn":"arn:aws:ecs:eu-west-1:111122223333:task-definition/web:4","family":"web","revision":4,
             "executionRoleArn":"arn:aws:iam::111122223333:role/web-execution",
             "containerDefinitions":[{"name":"web","image":"nginx:1.27",
               "secrets":[{"name":"DB","valueFrom":"arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db-AbCdEf"},
                          {"name":"TOKEN","valueFrom":"arn:aws:ssm:eu-west-1:111122223333:parameter/web/token"}]}]}}
            """),
        dir.Write("iam.json", """
            {"RoleDetailList":[{"Path":"/","RoleName":"web-execution","RoleId":"AROAWEBEXECUTIONXXXX","Arn":"arn:aws:iam::111122223333:role/web-execution",
              "AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole",
                "Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:ecs:eu-west-1:111122223333:*"},"StringEquals":{"aws:SourceAccount":"111122223333"}}}]},
              "RolePolicyList":[{"PolicyName":"secrets","PolicyDocument":{"Version":"2012-10-17","Statement":[
                {"Sid":"Read","Effect":"Allow","Action":["secretsmanager:GetSecretValue","ssm:GetParameters"],
                 "Resource":["arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db-AbCdEf","arn:aws:ssm:eu-west-1:111122223333:parameter/web/token"]},
                {"Sid":"Decrypt","Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}}],
              "AttachedManagedPolicies":[],"Tags":[]}],"Policies":[]}
            """));
}
