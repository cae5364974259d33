using GopherCron.Modules.Tasks.Domain.Cron;

namespace GopherCron.Tasks.Tests.Cron;

public sealed class TimeZonesTests
{
    [Theory]
    [InlineData("Europe/Berlin")]
    [InlineData("America/New_York")]
    [InlineData("Asia/Kolkata")]
    [InlineData("Etc/UTC")]
    public void Iana_ids_are_found(string id)
    {
        TimeZones.TryFind(id, out var zone, out var error).ShouldBeTrue(error);

        zone.Id.ShouldBe(id);
        error.ShouldBeNull();
    }

    [Fact]
    public void Utc_is_the_utc_zone()
    {
        TimeZones.TryFind("UTC", out var zone, out _).ShouldBeTrue();

        zone.ShouldBeSameAs(TimeZoneInfo.Utc);
    }

    [Fact]
    public void Found_zones_carry_their_rules()
    {
        TimeZones.TryFind("Europe/Berlin", out var zone, out _).ShouldBeTrue();

        zone.GetUtcOffset(new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero)).ShouldBe(TimeSpan.FromHours(1));
        zone.GetUtcOffset(new DateTimeOffset(2026, 7, 15, 12, 0, 0, TimeSpan.Zero)).ShouldBe(TimeSpan.FromHours(2));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Empty_ids_are_refused(string? id)
    {
        TimeZones.TryFind(id, out var zone, out var error).ShouldBeFalse();

        zone.ShouldBeNull();
        error.ShouldBe("time zone is empty");
    }

    [Fact]
    public void Unknown_ids_are_refused_with_an_example()
    {
        TimeZones.TryFind("Mars/Olympus_Mons", out _, out var error).ShouldBeFalse();

        error.ShouldBe("unknown time zone 'Mars/Olympus_Mons': use an IANA id such as 'Europe/Berlin' or 'UTC'");
    }

    [Fact]
    public void Windows_ids_are_refused_with_the_iana_equivalent()
    {
        TimeZones.TryFind("W. Europe Standard Time", out _, out var error).ShouldBeFalse();

        error.ShouldBe("'W. Europe Standard Time' is a Windows time zone id; use the IANA id 'Europe/Berlin'");
    }

    [Fact]
    public void Local_is_refused()
    {
        TimeZones.TryFind("Local", out _, out var error).ShouldBeFalse();

        error.ShouldNotBeNull().ShouldContain("'Local' is not supported");
    }
}
