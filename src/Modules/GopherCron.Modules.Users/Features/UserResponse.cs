using GopherCron.Modules.Shared.Time;
using GopherCron.Modules.Users.Data;

namespace GopherCron.Modules.Users.Features;

internal sealed record UserResponse(
    long Id, string Account, string Name, bool IsAdmin, bool MustChangePassword, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static UserResponse From(UserRow row) => new(
        row.Id, row.Account, row.Name, row.IsAdmin, row.MustChangePassword, UnixTime.FromUnixMs(row.CreatedAt), UnixTime.FromUnixMs(row.UpdatedAt));
}
