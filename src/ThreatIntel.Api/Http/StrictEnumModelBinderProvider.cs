using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace ThreatIntel.Api.Http;

/// <summary>
/// Binds enums in the query string by name only, as <see cref="StrictEnumConverterFactory"/> does in bodies. MVC's
/// own binder also takes numbers and comma lists (<c>?severity=3</c>, <c>?type=1,2</c>), which would make the order
/// in which the enums are declared part of the contract and silently read a list as one unrelated value.
/// </summary>
internal sealed class StrictEnumModelBinderProvider : IModelBinderProvider
{
    private static readonly StrictEnumModelBinder Binder = new();

    public IModelBinder? GetBinder(ModelBinderProviderContext context) =>
        context.Metadata.UnderlyingOrModelType.IsEnum ? Binder : null;

    private sealed class StrictEnumModelBinder : IModelBinder
    {
        public Task BindModelAsync(ModelBindingContext bindingContext)
        {
            var result = bindingContext.ValueProvider.GetValue(bindingContext.ModelName);
            if (result == ValueProviderResult.None)
            {
                return Task.CompletedTask;
            }

            bindingContext.ModelState.SetModelValue(bindingContext.ModelName, result);
            var text = result.FirstValue;
            var enumType = bindingContext.ModelMetadata.UnderlyingOrModelType;
            if (string.IsNullOrWhiteSpace(text) && bindingContext.ModelMetadata.IsReferenceOrNullableType)
            {
                bindingContext.Result = ModelBindingResult.Success(null);
            }
            else if (EnumNames.TryParse(enumType, text, out var value))
            {
                bindingContext.Result = ModelBindingResult.Success(value);
            }
            else
            {
                bindingContext.ModelState.TryAddModelError(
                    bindingContext.ModelName, EnumNames.InvalidMessage(enumType, $"'{text}'"));
            }

            return Task.CompletedTask;
        }
    }
}
