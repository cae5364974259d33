using static GopherCron.Tasks.Tests.Cron.CronTestKit;

namespace GopherCron.Tasks.Tests.Cron;

public sealed class CronParseErrorTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \t ")]
    public void Empty_input_is_reported_as_empty(string? expression)
    {
        ParseError(expression).ShouldBe("cron expression is empty");
    }

    [Theory]
    [InlineData("* * * *", "expected 5, 6 or 7 fields but got 4")]
    [InlineData("*", "expected 5, 6 or 7 fields but got 1")]
    [InlineData("* * * * * * * *", "expected 5, 6 or 7 fields but got 8")]
    public void Wrong_field_count_is_reported(string expression, string message)
    {
        ParseError(expression).ShouldBe(message);
    }

    [Theory]
    [InlineData("61 * * * *", "field 'minute': value 61 is out of range 0-59")]
    [InlineData("60 * * * * *", "field 'second': value 60 is out of range 0-59")]
    [InlineData("0 24 * * *", "field 'hour': value 24 is out of range 0-23")]
    [InlineData("0 0 0 * *", "field 'day-of-month': value 0 is out of range 1-31")]
    [InlineData("0 0 32 * *", "field 'day-of-month': value 32 is out of range 1-31")]
    [InlineData("0 0 1 13 *", "field 'month': value 13 is out of range 1-12")]
    [InlineData("0 0 * * 8", "field 'day-of-week': value 8 is out of range 0-7")]
    [InlineData("0 1-99 * * *", "field 'hour': value 99 is out of range 0-23")]
    [InlineData("0 99999999999 * * *", "field 'hour': value 99999999999 is out of range 0-23")]
    public void Out_of_range_values_name_the_field_and_the_range(string expression, string message)
    {
        ParseError(expression).ShouldBe(message);
    }

    [Theory]
    [InlineData("0 0 1 FOO *", "field 'month': unknown name 'FOO' (expected JAN-DEC or 1-12)")]
    [InlineData("0 0 * * XYZ", "field 'day-of-week': unknown name 'XYZ' (expected SUN-SAT or 0-7)")]
    [InlineData("0 0 * JAN MAR", "field 'day-of-week': unknown name 'MAR' (expected SUN-SAT or 0-7)")]
    [InlineData("0 0 * * MONDAY", "field 'day-of-week': unexpected 'DAY' in 'MONDAY'")]
    [InlineData("abc * * * *", "field 'minute': 'ABC' is not a number")]
    [InlineData("*/0 * * * *", "field 'minute': step 0 in '*/0' is out of range 1-59")]
    [InlineData("0 0 * * MON#6", "field 'day-of-week': '#6' in 'MON#6' is out of range #1-#5")]
    [InlineData("0 0 1,,2 * *", "field 'day-of-month': empty element in list '1,,2'")]
    [InlineData("0 0 1- * *", "field 'day-of-month': range '1-' has no end")]
    [InlineData("0 0 5% * *", "field 'day-of-month': unexpected '%' in '5%'")]
    [InlineData("H * * * *", "field 'minute': 'H' (hashed jitter) is not supported in 'H'")]
    public void Malformed_fields_say_what_is_wrong(string expression, string message)
    {
        ParseError(expression).ShouldBe(message);
    }

    [Fact]
    public void Combinations_only_Cronos_rejects_carry_its_message()
    {
        ParseError("0 0 L,5 * *").ShouldStartWith("invalid cron expression: ");
    }

    [Fact]
    public void A_date_that_never_exists_is_named_in_the_message()
    {
        ParseError("0 0 30 2 *").ShouldBe("cron expression '0 0 30 2 *' never fires: no date matches its day-of-month, month and day-of-week");
    }

    [Theory]
    [InlineData("0 0 30 2 *")]
    [InlineData("0 0 31 4 *")]
    [InlineData("0 0 0 30 2 * 2026-2030")]
    public void Dates_that_never_exist_are_refused(string expression)
    {
        ParseError(expression).ShouldContain("never fires");
    }

    [Theory]
    [InlineData("0 0 0 1 1 * 1969", "field 'year': value 1969 is out of range 1970-2099")]
    [InlineData("0 0 0 1 1 * 2100", "field 'year': value 2100 is out of range 1970-2099")]
    [InlineData("0 0 0 1 1 * 2026,2100", "field 'year': value 2100 is out of range 1970-2099")]
    [InlineData("0 0 0 1 1 * 2030-2026", "field 'year': range '2030-2026' runs backwards")]
    [InlineData("0 0 0 1 1 * abc", "field 'year': 'abc' is not a year")]
    [InlineData("0 0 0 1 1 * 2026/0", "field 'year': step '0' in '2026/0' must be a whole number of at least 1")]
    [InlineData("0 0 0 1 1 * 2026,", "field 'year': empty element in list '2026,'")]
    public void Bad_years_are_reported(string expression, string message)
    {
        ParseError(expression).ShouldBe(message);
    }

    [Theory]
    [InlineData("@every 0s", "@every duration must be greater than zero, got '0s'")]
    [InlineData("@every 0ms", "@every duration must be greater than zero, got '0ms'")]
    [InlineData("@every -5s", "@every duration must be greater than zero, got '-5s'")]
    [InlineData("@every abc", "invalid @every duration 'abc': expected a number followed by a unit (ms, s, m, h or d), e.g. '90s' or '1h30m'")]
    [InlineData("@every 5", "invalid @every duration '5': missing unit after '5' (use ms, s, m, h or d)")]
    [InlineData("@every 5x", "invalid @every duration '5x': unknown unit 'x' (use ms, s, m, h or d)")]
    [InlineData("@every 5us", "invalid @every duration '5us': unknown unit 'us' (use ms, s, m, h or d)")]
    [InlineData("@every 1.0005s", "@every duration '1.0005s' is not a whole number of milliseconds")]
    [InlineData("@every", "@every needs a duration, e.g. '@every 5m'")]
    [InlineData("@every 1h 30m", "@every takes a single duration without spaces, e.g. '@every 1h30m', got '1h 30m'")]
    [InlineData("@every 99999999999999d", "@every duration '99999999999999d' is too long")]
    public void Bad_every_durations_are_reported(string expression, string message)
    {
        ParseError(expression).ShouldBe(message);
    }

    [Fact]
    public void Unknown_aliases_list_the_known_ones()
    {
        var error = ParseError("@fortnightly");

        error.ShouldStartWith("unknown alias '@fortnightly': expected one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly");
        error.ShouldEndWith("or '@every <duration>'");
    }

    [Fact]
    public void Aliases_take_no_extra_fields()
    {
        ParseError("@daily 5").ShouldBe("alias '@daily' takes no further fields");
    }
}
