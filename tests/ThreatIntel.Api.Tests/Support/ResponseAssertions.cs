using System.Net;
using System.Text.Json;

namespace ThreatIntel.Api.Tests.Support;

internal static class ResponseAssertions
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Asserts the status (showing the body when it differs) and reads the JSON body.</summary>
    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(
            response.StatusCode == expected,
            $"Expected {(int)expected} {expected} but got {(int)response.StatusCode} {response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, Json)
            ?? throw new InvalidOperationException($"The body is not a {typeof(T).Name}: {body}");
    }

    public static async Task ShouldHaveStatusAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(
            response.StatusCode == expected,
            $"Expected {(int)expected} {expected} but got {(int)response.StatusCode} {response.StatusCode}: {body}");
    }

    /// <summary>Asserts an RFC 9457 problem of the given status with a title and a detail, and reads it.</summary>
    public static async Task<ProblemDto> ReadProblemAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var problem = await response.ReadAsync<ProblemDto>(expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)expected, problem.Status);
        Assert.False(string.IsNullOrWhiteSpace(problem.Title), "The problem has no title.");
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail), "The problem has no detail.");
        return problem;
    }

    /// <summary>
    /// Asserts a 400 problem whose <c>errors</c> name exactly <paramref name="fields"/>, each with a message, and
    /// returns the errors.
    /// </summary>
    public static async Task<Dictionary<string, string[]>> ReadValidationErrorsAsync(
        this HttpResponseMessage response, params string[] fields)
    {
        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(problem.Errors);
        Assert.Equal(fields.Order(StringComparer.Ordinal), problem.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.All(problem.Errors.Values, messages =>
        {
            Assert.NotEmpty(messages);
            Assert.All(messages, message => Assert.False(string.IsNullOrWhiteSpace(message)));
        });
        return problem.Errors;
    }

    public static string ETag(this HttpResponseMessage response)
    {
        var etag = response.Headers.ETag;
        Assert.NotNull(etag);
        Assert.False(etag.IsWeak, "The ETag must be strong so that If-Match can use it.");
        return etag.Tag;
    }
}
