using EcsRoleAuditor.Cli;

return CommandLineApp.Run(args, Console.Out, Console.Error);
