using Broker.Silo.Hosting;

var app = BrokerApp.Create(args);
await app.RunAsync();
