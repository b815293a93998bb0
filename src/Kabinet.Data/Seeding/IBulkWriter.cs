using System.Data.Common;

namespace Kabinet.Data.Seeding;

/// <summary>The engine-specific half of the bulk seeder: how rows reach the tables fastest.</summary>
internal interface IBulkWriter : IAsyncDisposable
{
    /// <summary>Whether the rows should carry instants as SQLite text.</summary>
    bool WantsTextInstants { get; }

    /// <summary>Session settings for the load, made before the write transaction begins.</summary>
    Task BeforeTransactionAsync(CancellationToken ct);

    /// <summary>Runs first inside the write transaction, before the free ids are read.</summary>
    Task StartAsync(DbTransaction transaction, CancellationToken ct);

    /// <summary>Writes one batch: every table, parents before children.</summary>
    ValueTask WriteAsync(SeedRow[] rows, CancellationToken ct);

    /// <summary>Runs after the last batch, before commit.</summary>
    Task AfterLoadAsync(DbTransaction transaction, CancellationToken ct);

    /// <summary>Undoes <see cref="BeforeTransactionAsync"/>, since the connection goes back to the pool.</summary>
    Task RestoreAsync(CancellationToken ct);
}
