namespace ThreatIntel.Core.Iocs;

/// <summary>What kind of observable an IOC describes.</summary>
public enum IocType
{
    FileSha1,
    FileSha256,
    FileMd5,
    CertificateThumbprint,
    IpAddress,
    DomainName,
    Url,
    EmailAddress,
    FileName,
    FilePath,
    ProcessName,
    CommandLine,
    RegistryKey,
}
