using System.Net;
using AuthFunctions.Core.Storage;
using AuthFunctions.FunctionApp;
using AuthFunctions.Http.Problems;
using AuthFunctions.Tests.Http;
using AuthFunctions.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace AuthFunctions.Tests.FunctionApp;

[Collection(AzuriteCollection.Name)]
public sealed class UnexpectedErrorTests(AzuriteFixture azurite)
{
    private const string Leak = "secret-detail-of-a-bug";

    [Fact]
    public async Task The_worker_middleware_answers_a_bug_with_the_generic_500_and_logs_it()
    {
        var logger = new FakeLogger<UnexpectedErrorMiddleware>();
        var middleware = new UnexpectedErrorMiddleware(logger);

        var result = await middleware.GuardAsync(() => throw new InvalidOperationException(Leak), "Health", isHttp: true);

        var problem = Assert.IsType<ProblemResult>(result);
        Assert.Equal(500, problem.StatusCode);
        Assert.Equal("server_error", problem.Error.Code);
        Assert.DoesNotContain(Leak, problem.Error.Detail, StringComparison.Ordinal);
        var record = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Error, record.Level);
        Assert.IsType<InvalidOperationException>(record.Exception);
    }

    [Fact]
    public async Task The_worker_middleware_passes_success_through_and_rethrows_for_non_HTTP_functions()
    {
        var middleware = new UnexpectedErrorMiddleware(new FakeLogger<UnexpectedErrorMiddleware>());

        Assert.Null(await middleware.GuardAsync(() => Task.CompletedTask, "Health", isHttp: true));
        await Assert.ThrowsAsync<InvalidOperationException>(() => middleware.GuardAsync(() => throw new InvalidOperationException(Leak), "Purge", isHttp: false));
    }

    [Fact]
    public async Task The_local_host_answers_a_bug_with_the_same_generic_500_problem()
    {
        await using var server = await LocalHostServer.StartAsync(azurite.ConnectionString, configure: builder =>
            builder.Services.AddSingleton<IStorageProbe>(new BrokenProbe()));

        using var response = await server.Client.GetAsync("/health", TestContext.Current.CancellationToken);

        var problem = await ProblemAssert.IsProblemAsync(response, (int)HttpStatusCode.InternalServerError, "server_error");
        Assert.Equal(Problem.Unexpected().Error.Detail, problem.GetProperty("detail").GetString());
        Assert.DoesNotContain(Leak, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    private sealed class BrokenProbe : IStorageProbe
    {
        public Task ProbeAsync(CancellationToken cancellationToken) => throw new InvalidOperationException(Leak);
    }
}
