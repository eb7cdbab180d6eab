using ThreatIntel.Core.AlertDefinitions;

namespace ThreatIntel.Api.Features.AlertDefinitions;

internal static class AlertDefinitionSort
{
    public static bool TryParse(string? sort, out AlertDefinitionSortField field, out bool descending)
    {
        field = AlertDefinitionSortField.Name;
        descending = false;
        if (string.IsNullOrWhiteSpace(sort))
        {
            return true;
        }

        var text = sort.Trim();
        descending = text.StartsWith('-');
        return Enum.TryParse(text.TrimStart('-', '+'), ignoreCase: true, out field) && Enum.IsDefined(field)
            && !text.TrimStart('-', '+').All(char.IsAsciiDigit);
    }
}
