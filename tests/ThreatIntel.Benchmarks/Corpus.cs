namespace ThreatIntel.Benchmarks;

/// <summary>Deterministic, realistic-looking command lines and file paths for the free-text benchmarks.</summary>
public static class Corpus
{
    private static readonly string[] Users = ["alice", "bob", "svc_backup", "j.smith", "Administrator", "m.mueller"];
    private static readonly string[] Words = ["update", "setup", "report", "invoice", "chrome", "teams", "helper", "agent", "sync", "backup", "launcher", "config"];
    private static readonly string[] Exts = ["exe", "dll", "ps1", "tmp", "log", "dat", "json", "xml", "txt", "msi"];

    public static string[] CommandLines(int count, IReadOnlyList<string> plant, int seed)
    {
        var random = new Random(seed);
        var lines = new string[count];
        for (var i = 0; i < count; i++)
        {
            var line = CommandLine(random);
            if (i % 100 == 50 && plant.Count > 0)
            {
                // About 1 % of the lines carry an indicator somewhere inside.
                var at = random.Next(line.Length);
                line = line[..at] + plant[random.Next(plant.Count)] + line[at..];
            }

            lines[i] = line;
        }

        return lines;
    }

    public static string[] FilePaths(int count, IReadOnlyList<string> plant, int seed)
    {
        var random = new Random(seed);
        var paths = new string[count];
        for (var i = 0; i < count; i++)
        {
            paths[i] = i % 100 == 50 && plant.Count > 0
                ? @"C:\Windows\System32" + (plant[random.Next(plant.Count)] is var p && p.StartsWith('\\') ? p : @"\" + p)
                : FilePath(random);
        }

        return paths;
    }

    private static string W(Random r) => Words[r.Next(Words.Length)];

    private static string Host(Random r) => $"{W(r)}{r.Next(100)}.{W(r)}-cdn.example.{(r.Next(2) == 0 ? "com" : "net")}";

    private static string FilePath(Random r) => r.Next(6) switch
    {
        0 => $@"C:\Users\{Users[r.Next(Users.Length)]}\AppData\Local\Temp\{W(r)}_{r.Next(100000)}.{Exts[r.Next(Exts.Length)]}",
        1 => $@"C:\Program Files\{W(r)} Corp\{W(r)}\{r.Next(10)}.{r.Next(20)}.{r.Next(1000)}\{W(r)}.{Exts[r.Next(Exts.Length)]}",
        2 => $@"C:\Windows\System32\{W(r)}{r.Next(64)}.{Exts[r.Next(Exts.Length)]}",
        3 => $@"C:\ProgramData\Microsoft\Windows Defender\Platform\4.18.{r.Next(30000)}.{r.Next(10)}\{W(r)}.dll",
        4 => $@"D:\Shares\{Users[r.Next(Users.Length)]}\Documents\{W(r)} {r.Next(2020, 2027)}-{r.Next(1, 13):D2}.{Exts[r.Next(Exts.Length)]}",
        _ => $@"C:\Windows\WinSxS\amd64_microsoft-windows-{W(r)}_31bf3856ad364e35_10.0.{r.Next(26100)}.{r.Next(5000)}_none_{r.Next():x8}\{W(r)}.dll",
    };

    private static string CommandLine(Random r) => r.Next(7) switch
    {
        0 => $"\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\" --type=renderer --field-trial-handle={r.Next(9999)},i,{r.Next()},{r.Next()},262144 --lang=en-US --renderer-client-id={r.Next(500)} --mojo-platform-channel-handle={r.Next(9999)} /prefetch:1",
        1 => $"powershell.exe -NoProfile -ExecutionPolicy Bypass -Command \"Invoke-WebRequest -Uri https://{Host(r)}/{W(r)}/{r.Next(100000)} -OutFile C:\\Users\\{Users[r.Next(Users.Length)]}\\AppData\\Local\\Temp\\{W(r)}.{Exts[r.Next(Exts.Length)]}\"",
        2 => $"C:\\Windows\\system32\\svchost.exe -k {W(r)}svcs -p -s {W(r)}",
        3 => $"cmd.exe /c copy \\\\{W(r)}-fs{r.Next(20)}\\share\\{W(r)}\\{W(r)}.{Exts[r.Next(Exts.Length)]} C:\\ProgramData\\{W(r)}\\ && start /b C:\\ProgramData\\{W(r)}\\{W(r)}.exe --silent",
        4 => $"/usr/bin/python3 /opt/{W(r)}/{W(r)}_{r.Next(1000)}.py --config /etc/{W(r)}/{W(r)}.yaml --log-level info --workers {r.Next(1, 17)}",
        5 => $"curl -fsSL https://{Host(r)}/install/{W(r)}.sh -o /tmp/{W(r)}.sh && bash /tmp/{W(r)}.sh --prefix /usr/local",
        _ => $"\"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE\" /eml \"C:\\Users\\{Users[r.Next(Users.Length)]}\\Downloads\\{W(r)} {r.Next(100000)}.eml\"",
    };
}
