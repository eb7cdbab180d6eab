using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ThreatIntel.Core.Persistence;

namespace ThreatIntel.Api.Http;

/// <summary>Problem responses shared by the controllers, so every error reads the same way.</summary>
[ApiController]
[Authorize]
public abstract class ApiControllerBase : ControllerBase
{
    private protected ObjectResult NotFoundProblem(string detail) =>
        Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    private protected ObjectResult PreconditionFailedProblem() => Problem(
        statusCode: StatusCodes.Status412PreconditionFailed,
        title: "Precondition failed",
        detail: "The If-Match ETag is stale: the resource was changed since it was read. Read it again and retry.");

    private protected ObjectResult MatchingIndexNotReadyProblem() => Problem(
        statusCode: StatusCodes.Status503ServiceUnavailable,
        title: "Service unavailable",
        detail: "The matching index is still being built; retry in a moment.");

    private protected ObjectResult ConflictProblem(string detail, string existingLocation, Guid existingId)
    {
        var problem = ProblemDetailsFactory.CreateProblemDetails(
            HttpContext, StatusCodes.Status409Conflict, "Conflict", detail: detail);
        problem.Extensions["existingId"] = existingId;
        problem.Extensions["existing"] = existingLocation;
        return new ObjectResult(problem) { StatusCode = StatusCodes.Status409Conflict };
    }

    /// <summary>Maps a write that did not succeed to its problem response.</summary>
    private protected ObjectResult FailedWrite(StoreOutcome outcome, string notFoundDetail) => outcome switch
    {
        StoreOutcome.NotFound => NotFoundProblem(notFoundDetail),
        StoreOutcome.PreconditionFailed => PreconditionFailedProblem(),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Not a failed write without a conflicting object."),
    };

    private protected void SetETag(Guid version) => Response.Headers.ETag = EntityTag.From(version);
}
