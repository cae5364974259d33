using FluentValidation;

namespace GopherCron.Modules.Shared.Validation;

public sealed class PageQueryValidator : AbstractValidator<PageQuery>
{
    public PageQueryValidator()
    {
        RuleFor(q => q.Page).GreaterThanOrEqualTo(1).When(q => q.Page is not null);
        RuleFor(q => q.PageSize).InclusiveBetween(1, PageQuery.MaxPageSize).When(q => q.PageSize is not null);
    }
}
