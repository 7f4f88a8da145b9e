using Azure;
using Azure.Data.Tables;

namespace AuthFunctions.Azure.Tables;

/// <summary>The four properties every Table entity carries.</summary>
public abstract class EntityBase : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }
}
