using Serilog;
using ThreatIntel.Api;
using ThreatIntel.Api.Auth;
using ThreatIntel.Infrastructure;
using ThreatIntel.Infrastructure.Persistence;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddSerilog((services, logger) => logger
    .ReadFrom.Configuration(builder.Configuration)
    .ReadFrom.Services(services));
builder.Services.AddThreatIntelPersistence(builder.Environment.ContentRootPath);
builder.Services.AddThreatIntelApi();

var app = builder.Build();
app.UseThreatIntelApi();
await app.Services.InitializeDatabaseAsync(app.Lifetime.ApplicationStopping);
await app.Services.EnsureAdminKeyAsync(app.Lifetime.ApplicationStopping);
await app.RunAsync();

/// <summary>The service's entry point; public so that integration tests can host it.</summary>
public partial class Program;
