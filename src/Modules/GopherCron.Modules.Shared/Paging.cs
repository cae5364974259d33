namespace GopherCron.Modules.Shared;

/// <summary>One page of a longer list.</summary>
public sealed record PagedList<T>(IReadOnlyList<T> Items, int Page, int PageSize, long Total);

/// <summary>Paging query parameters, validated the same way everywhere.</summary>
public sealed record PageQuery(int? Page, int? PageSize)
{
    public const int MaxPageSize = 500;

    public int PageOrDefault => Page ?? 1;

    public int PageSizeOrDefault => PageSize ?? 50;

    public int Skip => (PageOrDefault - 1) * PageSizeOrDefault;
}
