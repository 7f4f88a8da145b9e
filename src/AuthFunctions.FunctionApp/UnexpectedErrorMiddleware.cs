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
        try
        {
            await next(context);
        }
        catch (Exception exception) when (context.GetHttpContext() is not null)
        {
            Log.Unexpected(logger, exception, context.FunctionDefinition.Name);
            context.GetInvocationResult().Value = Problem.Unexpected();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "Function {Function} failed unexpectedly; answered 500")]
        public static partial void Unexpected(ILogger logger, Exception exception, string function);
    }
}
