global using System.Net;
global using Broker.Domain;
global using Broker.Tests.Infrastructure;
global using static Broker.Tests.Infrastructure.WorldBuilder;
global using Broker.Faults.Lab;
