using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace ThreatIntel.Api.Tests.Support;

/// <summary>The calls most tests make to set up data, each asserting that the service accepted it.</summary>
internal static class ApiClient
{
    public static async Task<DefinitionDto> CreateDefinitionAsync(
        this HttpClient client, string? name = null, string severity = "High", object[]? iocs = null)
    {
        var response = await client.PostAsJsonAsync(
            Routes.Definitions, new { name = name ?? TestData.Name(), severity, iocs });
        return await response.ReadAsync<DefinitionDto>(HttpStatusCode.Created);
    }

    public static async Task<DefinitionDto> CreateDefinitionAsync(this HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync(Routes.Definitions, body);
        return await response.ReadAsync<DefinitionDto>(HttpStatusCode.Created);
    }

    public static async Task<IocDto> AddIocAsync(this HttpClient client, Guid definitionId, object ioc)
    {
        var response = await client.PostAsJsonAsync(Routes.DefinitionIocs(definitionId), ioc);
        return await response.ReadAsync<IocDto>(HttpStatusCode.Created);
    }

    public static async Task<(DefinitionDto Definition, string ETag)> GetDefinitionAsync(this HttpClient client, Guid id)
    {
        var response = await client.GetAsync(Routes.Definition(id));
        var definition = await response.ReadAsync<DefinitionDto>(HttpStatusCode.OK);
        return (definition, response.ETag());
    }

    public static async Task<(IocDto Ioc, string ETag)> GetIocAsync(this HttpClient client, Guid id)
    {
        var response = await client.GetAsync(Routes.Ioc(id));
        var ioc = await response.ReadAsync<IocDto>(HttpStatusCode.OK);
        return (ioc, response.ETag());
    }

    public static async Task<PageDto<T>> GetPageAsync<T>(this HttpClient client, string uri)
    {
        var response = await client.GetAsync(uri);
        return await response.ReadAsync<PageDto<T>>(HttpStatusCode.OK);
    }

    public static Task<PageDto<IocDto>> LookupAsync(this HttpClient client, string type, string value, string? action = null) =>
        client.GetPageAsync<IocDto>(Routes.Lookup(type, value, action));

    public static async Task<IocDto[]> ListIocsAsync(this HttpClient client, Guid definitionId) =>
        (await client.GetPageAsync<IocDto>($"{Routes.DefinitionIocs(definitionId)}?pageSize=1000")).Items;

    /// <summary>How many definitions the whole database holds; tests of one class run one after another.</summary>
    public static async Task<int> CountDefinitionsAsync(this HttpClient client) =>
        (await client.GetPageAsync<DefinitionDto>($"{Routes.Definitions}?pageSize=1")).TotalCount;

    public static async Task<int> CountIocsAsync(this HttpClient client) =>
        (await client.GetPageAsync<IocDto>($"{Routes.Iocs}?pageSize=1")).TotalCount;

    public static Task<HttpResponseMessage> SendJsonAsync(
        this HttpClient client, HttpMethod method, string uri, object body, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, uri) { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> SendRawAsync(
        this HttpClient client, HttpMethod method, string uri, string body, string contentType = "application/json")
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return client.SendAsync(new HttpRequestMessage(method, uri) { Content = content });
    }

    public static Task<HttpResponseMessage> DeleteAsync(this HttpClient client, string uri, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, uri);
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return client.SendAsync(request);
    }
}
