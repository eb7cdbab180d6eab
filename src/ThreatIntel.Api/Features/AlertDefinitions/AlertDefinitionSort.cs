using ThreatIntel.Api.Http;
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
        // Names only: Enum.TryParse would read "name,updatedAt" as one field (Name | UpdatedAt = UpdatedAt).
        if (!EnumNames.TryParse(typeof(AlertDefinitionSortField), text.TrimStart('-', '+'), out var parsed))
        {
            return false;
        }

        field = (AlertDefinitionSortField)parsed;
        return true;
    }
}
