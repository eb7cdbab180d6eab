using FluentValidation;
using FluentValidation.AspNetCore;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Serilog;
using System.Text.Json;
using ThreatIntel.Api.Health;
using ThreatIntel.Api.Http;
using ThreatIntel.Api.OpenApi;

namespace ThreatIntel.Api;

/// <summary>The HTTP pipeline of the service: controllers, validation, problem responses, Swagger UI, health.</summary>
internal static partial class ApiSetup
{
    public static IServiceCollection AddThreatIntelApi(this IServiceCollection services)
    {
        services.AddOptions<RequestLimitsOptions>().BindConfiguration(RequestLimitsOptions.SectionName);
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<RequestLimitsOptions>>(
            (kestrel, limits) => kestrel.Limits.MaxRequestBodySize = limits.Value.MaxBulkBodyBytes);

        services.AddControllers()
            .AddJsonOptions(options => options.JsonSerializerOptions.Converters.Add(new StrictEnumConverterFactory()))
            .ConfigureApiBehaviorOptions(options => options.InvalidModelStateResponseFactory = ValidationProblemResponse.Create);

        // Error keys must be the JSON field paths clients send (iocs[0].value), not C# property names.
        ValidatorOptions.Global.PropertyNameResolver = (_, member, _) =>
            member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);
        ValidatorOptions.Global.DisplayNameResolver = (_, member, _) =>
            member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);
        services.AddFluentValidationAutoValidation();
        services.AddValidatorsFromAssemblyContaining<ApiControllerBase>(includeInternalTypes: true);

        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path);
        services.AddExceptionHandler<GlobalExceptionHandler>();
        services.AddThreatIntelSwagger();
        services.AddThreatIntelHealthChecks();
        return services;
    }

    public static WebApplication UseThreatIntelApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSerilogRequestLogging();
        app.UseRouting();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.UseThreatIntelSwagger();
        app.MapControllers();
        app.MapThreatIntelHealthChecks();
        app.Lifetime.ApplicationStarted.Register(() => LogSwaggerUrls(app));
        return app;
    }

    private static void LogSwaggerUrls(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            LogSwaggerUrl(app.Logger, $"{address.TrimEnd('/')}/{SwaggerSetup.UiPath}");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Swagger UI: {SwaggerUrl}")]
    private static partial void LogSwaggerUrl(Microsoft.Extensions.Logging.ILogger logger, string swaggerUrl);
}
