using Broker.LoadTests;

return await LoadTestCommandLine.RunAsync(args, Console.Out, Console.Error);
