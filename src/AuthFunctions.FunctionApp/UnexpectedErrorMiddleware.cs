using AuthFunctions.Http.Problems;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace AuthFunctions.FunctionApp;

/// <summary>
/// The worker's catch-all for the unexpected (it has no ASP.NET Core exception handler): logs the
/// exception and answers the same generic problem as the local host, never the exception text.
/// </summary>
internal sealed partial class UnexpectedErrorMiddleware(ILogger<UnexpectedErrorMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        // GetHttpContext() is null for a non-HTTP invocation (extension 2.1.1), e.g. a timer.
        var problem = await GuardAsync(() => next(context), context.FunctionDefinition.Name, isHttp: context.GetHttpContext() is not null);
        if (problem is not null)
        {
            context.GetInvocationResult().Value = problem;
        }
    }

    /// <summary>Runs the invocation; for an HTTP function, a failure becomes the generic 500 problem. Others rethrow.</summary>
    internal async Task<Microsoft.AspNetCore.Http.IResult?> GuardAsync(Func<Task> invocation, string function, bool isHttp)
    {
        try
        {
            await invocation();
            return null;
        }
        catch (Exception exception) when (isHttp)
        {
            Log.Unexpected(logger, exception, function);
            return Problem.Unexpected();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "Function {Function} failed unexpectedly; answered 500")]
        public static partial void Unexpected(ILogger logger, Exception exception, string function);
    }
}
