using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;
using ThreatIntel.Api.Features.Feeds;
using ThreatIntel.Api.Http;

namespace ThreatIntel.Api.OpenApi;

/// <summary>
/// Feed pushes read their body as a stream in the format its <c>Content-Type</c> names, so there is no body parameter
/// for Swagger to describe; this lists the four formats with an example of each, so that a push can be tried from
/// Swagger UI.
/// </summary>
internal sealed class FeedRequestBodyOperationFilter : IOperationFilter
{
    private static readonly (string MediaType, string Example)[] Examples =
    [
        (FeedMediaTypes.Csv, "definition,type,value,action,severity,description,expiresAt\n"
            + "Emotet C2,IpAddress,203.0.113.7,,High,Seen 2026-11,\n"
            + "Emotet C2,DomainName,evil.example,,High,,\n"
            + "Emotet payloads,FileSha256,e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855,Equals,Critical,,2027-01-01T00:00:00Z\n"),
        (FeedMediaTypes.Json, """
            {
              "definitions": [
                {
                  "name": "Emotet C2",
                  "severity": "High",
                  "description": "Command-and-control servers",
                  "mitreTechniques": ["T1071"],
                  "tags": ["emotet"],
                  "iocs": [
                    { "type": "IpAddress", "value": "203.0.113.7" },
                    { "type": "DomainName", "value": "evil.example", "action": "EndsWith" }
                  ]
                }
              ]
            }
            """),
        (FeedMediaTypes.Stix, """
            {
              "type": "bundle",
              "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d",
              "objects": [
                {
                  "type": "indicator",
                  "spec_version": "2.1",
                  "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
                  "created": "2026-11-01T00:00:00Z",
                  "modified": "2026-11-01T00:00:00Z",
                  "name": "Emotet C2",
                  "pattern_type": "stix",
                  "pattern": "[ipv4-addr:value = '203.0.113.7'] OR [domain-name:value = 'evil.example']",
                  "valid_from": "2026-11-01T00:00:00Z"
                }
              ]
            }
            """),
        (FeedMediaTypes.PlainList, "# signature-base style list: one value per line, type detected\n"
            + "203.0.113.7\n198.51.100.0/24\nevil.example:8080\nhttp://evil.example/gate.php\n"
            + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855;Emotet loader\n"),
    ];

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (!context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<FeedRequestBodyAttribute>().Any())
        {
            return;
        }

        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "The feed's whole content, in the format the Content-Type names (CSV, native JSON, a STIX 2.1 bundle, or a plain list with ?definition=).",
            Content = Examples.ToDictionary(
                example => example.MediaType,
                example => (IOpenApiMediaType)(IsJson(example.MediaType)
                    // A JSON body is shown (and sent by "Try it out") as JSON, not as a JSON string holding it.
                    ? new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.Object }, Example = JsonNode.Parse(example.Example) }
                    : new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String }, Example = JsonValue.Create(example.Example) })),
        };
    }

    private static bool IsJson(string mediaType) => mediaType is FeedMediaTypes.Json or FeedMediaTypes.Stix;
}
