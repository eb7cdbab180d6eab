using System.Reflection;
using Microsoft.OpenApi;
using ThreatIntel.Api.Auth;

namespace ThreatIntel.Api.OpenApi;

internal static class SwaggerSetup
{
    public const string DocumentName = "v1";
    public const string UiPath = "swagger";

    public static IServiceCollection AddThreatIntelSwagger(this IServiceCollection services) =>
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "ThreatIntel API",
                Version = "v1",
                Description = "Alert definitions and their indicators of compromise (IOCs), event evaluation against every "
                    + "enabled IOC, and the alerts it raises. Every call needs an API key in the "
                    + "`X-Api-Key` header (the Authorize button); each operation names the scope it needs. Every error is "
                    + "an RFC 9457 problem (application/problem+json); validation errors name each field under `errors`.",
            });
            options.IncludeXmlComments(Assembly.GetExecutingAssembly(), includeControllerXmlComments: true);
            options.AddSecurityDefinition(ApiKeySecurityOperationFilter.SchemeId, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyAuthenticationHandler.HeaderName,
                Description = "An API key (POST /api/v1/api-keys). On an empty database the first start logs an admin key.",
            });
            options.OperationFilter<ApiKeySecurityOperationFilter>();
            options.OperationFilter<FeedRequestBodyOperationFilter>();
            options.SupportNonNullableReferenceTypes();

            // Lets an enum property carry its own description and example beside the shared enum schema.
            options.UseAllOfToExtendReferenceSchemas();
        });

    public static WebApplication UseThreatIntelSwagger(this WebApplication app)
    {
        // Only requests under /swagger pass through the two middlewares: each looked at every API request too.
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments($"/{UiPath}"),
            swagger =>
            {
                swagger.UseSwagger();
                swagger.UseSwaggerUI(options =>
                {
                    options.RoutePrefix = UiPath;
                    options.SwaggerEndpoint($"/{UiPath}/{DocumentName}/swagger.json", "ThreatIntel API v1");
                    options.DocumentTitle = "ThreatIntel API";
                    options.DisplayRequestDuration();
                });
            });
        app.MapGet("/", () => Results.Redirect($"/{UiPath}")).ExcludeFromDescription().AllowAnonymous();
        return app;
    }
}
