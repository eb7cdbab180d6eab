using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;
using ThreatIntel.Api.Auth;

namespace ThreatIntel.Api.OpenApi;

/// <summary>
/// Marks each operation that needs a key with the API key scheme (so Swagger UI sends the key given to its
/// Authorize button), names the scope in its description, and lists the 401, 403 and 429 problems it can return.
/// </summary>
internal sealed class ApiKeySecurityOperationFilter : IOperationFilter
{
    public const string SchemeId = "ApiKey";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var scope = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<RequireScopeAttribute>().FirstOrDefault()?.Scope;
        if (scope is null)
        {
            return;
        }

        operation.Description = $"{operation.Description}\n\nRequires an API key with scope `{scope}` (or `admin`).".TrimStart();
        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeId, context.Document)] = [] });

        var problem = context.SchemaGenerator.GenerateSchema(typeof(ProblemDetails), context.SchemaRepository);
        operation.Responses ??= [];
        AddProblem(operation, "401", "No API key, or an invalid, expired or revoked one.", problem);
        AddProblem(operation, "403", $"The API key lacks the scope `{scope}`; nothing was done.", problem);
        AddProblem(operation, "429", "The key's request budget is used up; retry after the Retry-After header's seconds.", problem);
    }

    private static void AddProblem(OpenApiOperation operation, string status, string description, IOpenApiSchema schema) =>
        operation.Responses!.TryAdd(status, new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, IOpenApiMediaType> { ["application/problem+json"] = new OpenApiMediaType { Schema = schema } },
        });
}
