using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Storage;
using Microsoft.Extensions.Logging;

namespace AuthFunctions.Core.Tenants;

/// <summary>What an administrator asks for when creating a tenant.</summary>
public sealed record NewTenant
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    /// <summary>Who asks: the acting principal's subject; for the security log.</summary>
    public required string CreatedBy { get; init; }
}

/// <summary>Creating and listing tenants. Ids follow the name rules: NFKC, compared without regard to case.</summary>
public sealed partial class TenantAdministration(ITenantStore tenants, TimeProvider timeProvider, ILogger<TenantAdministration> logger)
{
    public async Task<Outcome<Tenant>> CreateAsync(NewTenant request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Identifiers.TryName(request.Id, out var id))
        {
            return AuthError.InvalidRequest("'id' must be 1-100 characters: letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }

        if (FieldRules.Text(request.Name, "name", FieldRules.MaxDisplayNameLength, required: true) is { } invalid)
        {
            return invalid;
        }

        var tenant = new Tenant { Id = id, Name = request.Name, CreatedAt = timeProvider.GetUtcNow() };
        if (await tenants.AddAsync(tenant, cancellationToken) != WriteResult.Written)
        {
            return AuthError.Conflict($"A tenant with the id '{id}' exists already (ids compare without regard to case).");
        }

        Log.Created(logger, tenant.Id, request.CreatedBy);
        return tenant;
    }

    /// <summary>Every tenant, one page in id order (an administrator's listing: it reads across partitions).</summary>
    public Task<PageOf<Tenant>> ListAsync(PageRequest page, CancellationToken cancellationToken) => tenants.ListAsync(page, cancellationToken);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1221, Level = LogLevel.Information, Message = "Tenant {TenantId} created by {Actor}")]
        public static partial void Created(ILogger logger, string tenantId, string actor);
    }
}
