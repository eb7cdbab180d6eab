using Serilog;
using ThreatIntel.Api;
using ThreatIntel.Api.Auth;
using ThreatIntel.Infrastructure;
using ThreatIntel.Infrastructure.Persistence;

var builder = WebApplication.CreateBuilder(args);

// Each host keeps its own logger instead of replacing the static Log.Logger, so hosts running side by side (tests,
// several instances in one process) never write into each other's sinks.
builder.Services.AddSerilog(
    (services, logger) => logger
        .ReadFrom.Configuration(builder.Configuration)
        .ReadFrom.Services(services),
    preserveStaticLogger: true);
builder.Services.AddThreatIntelPersistence(builder.Environment.ContentRootPath);
builder.Services.AddThreatIntelApi();

var app = builder.Build();
app.UseThreatIntelApi();
await app.Services.InitializeDatabaseAsync(app.Lifetime.ApplicationStopping);
await app.Services.EnsureAdminKeyAsync(app.Lifetime.ApplicationStopping);
await app.RunAsync();

/// <summary>The service's entry point; public so that integration tests can host it.</summary>
public partial class Program;
