using Microsoft.AspNetCore.Diagnostics;

namespace GatewayStorage.Gateway;

/// <summary>Maps the library's exceptions to problem answers; their messages name no secret.</summary>
public sealed class StorageExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var status = exception switch
        {
            ArgumentException or BadHttpRequestException => StatusCodes.Status400BadRequest,
            EntityNotFoundException => StatusCodes.Status404NotFound,
            DuplicateKeyException or ConcurrencyConflictException => StatusCodes.Status409Conflict,
            LimitExceededException => StatusCodes.Status422UnprocessableEntity,
            StorageUnavailableException => StatusCodes.Status503ServiceUnavailable,
            _ => 0,
        };
        if (status == 0)
        {
            return false;
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Detail = exception.Message },
        });
    }
}
