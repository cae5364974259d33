using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace GopherCron.Modules.Shared.Validation;

public static class ValidationEndpointExtensions
{
    /// <summary>Validates the endpoint's <typeparamref name="TRequest"/> argument before the handler runs.</summary>
    public static RouteHandlerBuilder WithValidation<TRequest>(this RouteHandlerBuilder builder)
        where TRequest : class =>
        builder.AddEndpointFilter<ValidationFilter<TRequest>>().ProducesValidationProblem();
}

// Resolves the validator per request and throws when none is registered: an endpoint must never skip validation silently.
internal sealed class ValidationFilter<TRequest> : IEndpointFilter
    where TRequest : class
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var validator = context.HttpContext.RequestServices.GetRequiredService<IValidator<TRequest>>();
        var request = context.Arguments.OfType<TRequest>().SingleOrDefault();
        if (request is null)
        {
            return Problems.BadRequest("The request body is missing.");
        }

        var result = await validator.ValidateAsync(request, context.HttpContext.RequestAborted);
        return result.IsValid ? await next(context) : TypedResults.ValidationProblem(ToJsonNames(result.ToDictionary()));
    }

    // FluentValidation names C# properties ("Retry.Attempts"); callers know the JSON names ("retry.attempts"),
    // the same names the binding-error handler reports.
    private static Dictionary<string, string[]> ToJsonNames(IDictionary<string, string[]> errors) =>
        errors.ToDictionary(
            e => string.Join('.', e.Key.Split('.').Select(JsonNamingPolicy.CamelCase.ConvertName)),
            e => e.Value);
}
