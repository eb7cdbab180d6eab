using FluentValidation;
using FluentValidation.AspNetCore;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Serilog;
using Serilog.Events;
using System.Text.Json;
using ThreatIntel.Api.Auth;
using ThreatIntel.Api.Features.Alerts;
using ThreatIntel.Api.Features.Events;
using ThreatIntel.Api.Features.Feeds;
using ThreatIntel.Api.Features.Matching;
using ThreatIntel.Api.Features.Retention;
using ThreatIntel.Api.Features.Webhooks;
using ThreatIntel.Api.Health;
using ThreatIntel.Api.Http;
using ThreatIntel.Api.Observability;
using ThreatIntel.Api.OpenApi;
using ThreatIntel.Api.RateLimiting;

namespace ThreatIntel.Api;

/// <summary>The HTTP pipeline of the service: controllers, validation, problem responses, Swagger UI, health.</summary>
internal static partial class ApiSetup
{
    public static IServiceCollection AddThreatIntelApi(this IServiceCollection services)
    {
        services.AddOptions<RequestLimitsOptions>()
            .BindConfiguration(RequestLimitsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<JsonOptions>().Configure<IOptions<RequestLimitsOptions>>(
            (json, limits) => json.JsonSerializerOptions.MaxDepth = limits.Value.MaxJsonDepth);
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<RequestLimitsOptions>>(
            (kestrel, limits) => kestrel.Limits.MaxRequestBodySize = Math.Max(limits.Value.MaxBulkBodyBytes, limits.Value.MaxFeedBodyBytes));

        services.AddControllers(options =>
            {
                options.ModelBinderProviders.Insert(0, new StrictEnumModelBinderProvider());

                // Query values that do not parse are reported by the parameter's name as clients send it (since), not
                // the C# property's (Since).
                options.ModelBindingMessageProvider.SetAttemptedValueIsInvalidAccessor(
                    (value, field) => $"The value '{value}' is not valid for {JsonNamingPolicy.CamelCase.ConvertName(field)}.");
                options.ModelBindingMessageProvider.SetValueIsInvalidAccessor(value => $"The value '{value}' is not valid here.");

                // MVC's own validation would walk every event and observable of a batch looking for attributes they do not
                // have; EvaluateEventsRequestValidator checks them all in one pass.
                options.ModelMetadataDetailsProviders.Add(new SuppressChildValidationMetadataProvider(typeof(IReadOnlyList<EventRequest?>)));
                // Query parameter objects hold only simple, nullable values without attributes: MVC's walk over each of
                // them found nothing to check on every list and look-up request; their validators check them as a whole.
                options.ModelMetadataDetailsProviders.Add(new SuppressChildValidationMetadataProvider(typeof(PagingParameters)));
            })
            .AddJsonOptions(options =>
            {
                options.JsonSerializerOptions.Converters.Add(new StrictEnumConverterFactory());
                options.JsonSerializerOptions.TypeInfoResolverChain.Insert(0, EventsJsonContext.Default);
            })
            .ConfigureApiBehaviorOptions(options => options.InvalidModelStateResponseFactory = ValidationProblemResponse.Create);

        // Error keys must be the JSON field paths clients send (iocs[0].value), not C# property names.
        ValidatorOptions.Global.PropertyNameResolver = (_, member, _) =>
            member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);
        ValidatorOptions.Global.DisplayNameResolver = (_, member, _) =>
            member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);
        services.AddFluentValidationAutoValidation();
        // Singletons: a validator builds its rules in its constructor, which cost more than the evaluation of a single
        // event when it ran per request. None depends on anything scoped.
        services.AddValidatorsFromAssemblyContaining<ApiControllerBase>(ServiceLifetime.Singleton, includeInternalTypes: true);

        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            // The contract promises a detail on every error; the framework's own 404, 405 and 415 come without one.
            context.ProblemDetails.Detail ??= FrameworkErrorDetail(context.HttpContext.Request, context.ProblemDetails.Status);
        });
        services.AddExceptionHandler<GlobalExceptionHandler>();
        services.AddThreatIntelAuth();
        services.AddThreatIntelRateLimiting();
        services.AddThreatIntelSwagger();
        services.AddThreatIntelHealthChecks();
        services.AddThreatIntelMatching();
        services.AddThreatIntelFeeds();
        services.AddThreatIntelAlertStream();
        services.AddThreatIntelWebhooks();
        services.AddThreatIntelRetention();
        services.AddThreatIntelMetrics();
        return services;
    }

    public static WebApplication UseThreatIntelApi(this WebApplication app)
    {
        // Outermost, so that it logs the status the client got: inside the exception handler it saw a refused
        // body (413, 400) only as an exception and logged it as a 500 error.
        // The middleware would otherwise write to the static Log.Logger, which this host leaves silent (Program.cs).
        app.UseSerilogRequestLogging(options =>
        {
            options.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
            options.GetLevel = RequestLogLevel;
        });
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseThreatIntelSwagger();
        app.UseRouting();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.MapControllers();
        app.MapThreatIntelHealthChecks();
        app.MapThreatIntelMetrics();
        app.Lifetime.ApplicationStarted.Register(() => LogSwaggerUrls(app));
        return app;
    }

    /// <summary>
    /// Serilog's default, except that a health probe's 503 is a warning: readiness answers 503 while the first index is
    /// built, and an orchestrator polling it then is not an error to page anyone about.
    /// </summary>
    private static LogEventLevel RequestLogLevel(HttpContext context, double elapsedMilliseconds, Exception? exception) =>
        exception is not null ? LogEventLevel.Error
        : context.Response.StatusCode < StatusCodes.Status500InternalServerError ? LogEventLevel.Information
        : context.Request.Path.StartsWithSegments(HealthChecksSetup.PathPrefix) ? LogEventLevel.Warning
        : LogEventLevel.Error;

    private static string? FrameworkErrorDetail(HttpRequest request, int? status) => status switch
    {
        StatusCodes.Status404NotFound => $"There is nothing at {request.Path}.",
        StatusCodes.Status405MethodNotAllowed =>
            $"{request.Method} is not allowed on {request.Path}; the Allow header lists the methods that are.",
        StatusCodes.Status415UnsupportedMediaType =>
            $"This endpoint takes application/json; the body was sent as '{request.ContentType ?? "no Content-Type"}'.",
        _ => null,
    };

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
