#!/usr/bin/env python3
"""Writes a CloudFormation template of N services (task definition, execution role, task role, a secret, a log group,
a bucket) in the shape real stacks use: intrinsics everywhere, one service in four with its roles swapped."""
import sys

def service(i: int) -> str:
    swapped = i % 4 == 0
    app = f"""              - Sid: Data
                Effect: Allow
                Action: [s3:GetObject, s3:PutObject]
                Resource: !Sub "${{Bucket{i}.Arn}}/*\""""
    agent = f"""              - Sid: Secret
                Effect: Allow
                Action: secretsmanager:GetSecretValue
                Resource: !Ref Secret{i}
              - Sid: Logs
                Effect: Allow
                Action: [logs:CreateLogStream, logs:PutLogEvents]
                Resource: !Sub "${{Logs{i}.Arn}}\""""
    trust = """      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: ecs-tasks.amazonaws.com}
            Action: sts:AssumeRole
            Condition:
              StringEquals: {aws:SourceAccount: !Ref AWS::AccountId}
              ArnLike: {aws:SourceArn: !Sub "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:*"}"""
    return f"""  Bucket{i}:
    Type: AWS::S3::Bucket
    Properties: {{BucketName: !Sub "svc{i}-${{Env}}-data"}}
  Secret{i}:
    Type: AWS::SecretsManager::Secret
    Properties: {{Name: !Sub "svc{i}/${{Env}}/db"}}
  Logs{i}:
    Type: AWS::Logs::LogGroup
    Properties: {{LogGroupName: /ecs/svc{i}}}
  Execution{i}:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub svc{i}-execution-${{Env}}
{trust}
      ManagedPolicyArns: [!Sub "arn:${{AWS::Partition}}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"]
      Policies:
        - PolicyName: runtime
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
{app if swapped else agent}
  Task{i}:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub svc{i}-task-${{Env}}
{trust}
      Policies:
        - PolicyName: app
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
{agent if swapped else app}
  Service{i}:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: !Sub svc{i}-${{Env}}
      RequiresCompatibilities: [FARGATE]
      ExecutionRoleArn: !GetAtt Execution{i}.Arn
      TaskRoleArn: !GetAtt Task{i}.Arn
      ContainerDefinitions:
        - Name: app
          Image: !Sub "${{AWS::AccountId}}.dkr.ecr.${{AWS::Region}}.amazonaws.com/svc{i}:1.0"
          Secrets: [{{Name: DB, ValueFrom: !Ref Secret{i}}}]
          LogConfiguration:
            LogDriver: awslogs
            Options: {{awslogs-group: !Ref Logs{i}, awslogs-region: !Ref AWS::Region, awslogs-stream-prefix: app}}
"""

n = int(sys.argv[1])
print("AWSTemplateFormatVersion: \"2010-09-09\"\nParameters:\n  Env: {Type: String, Default: prod}\nResources:")
for i in range(n):
    print(service(i), end="")
