namespace ThreatIntel.Core;

/// <summary>
/// Length and count limits shared by the database schema and the request validators, so that a value the API
/// accepts always fits its column.
/// </summary>
public static class FieldLimits
{
    public const int DefinitionNameMaxLength = 200;
    public const int DefinitionDescriptionMaxLength = 4000;
    public const int CategoryMaxLength = 100;
    public const int RecommendedActionsMaxLength = 4000;
    public const int MitreTechniquesMaxCount = 50;
    public const int MitreTechniqueMaxLength = 9;
    public const int TagsMaxCount = 50;
    public const int TagMaxLength = 64;
    public const int SourceMaxLength = 100;
    public const int ActorMaxLength = 100;

    public const int IocValueMaxLength = 2048;
    public const int RegexPatternMaxLength = 1024;
    public const int IocDescriptionMaxLength = 1000;
    public const int EnumMaxLength = 32;
    public const int ValueHashLength = 32;

    public const int ObservedValueMaxLength = 4096;
    public const int DeviceIdMaxLength = 200;
    public const int EventIdMaxLength = 200;
    public const int AlertCommentMaxLength = 4000;
    public const int ObservablesPerEventMaxCount = 100;

    public const int WebhookNameMaxLength = 200;
    public const int WebhookUrlMaxLength = 2048;
    public const int WebhookSecretMaxLength = 100;
    public const int WebhookDefinitionsMaxCount = 100;
    public const int AlertStreamDefinitionsMaxCount = 100;

    public const int IocBatchMaxCount = 10_000;
    public const int EventBatchMaxCount = 10_000;
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 1000;
}
