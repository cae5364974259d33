namespace GopherCron.Modules.Shared.Time;

/// <summary>
/// Instants are stored as Unix milliseconds: the same column type, ordering and precision on SQLite and MySQL.
/// </summary>
public static class UnixTime
{
    public static long ToUnixMs(this DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromUnixMs(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);

    public static DateTimeOffset? FromUnixMs(long? value) => value is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
}
