using Broker.Cli;

return await BrokerCli.RunAsync(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable, interactive: !Console.IsOutputRedirected);
