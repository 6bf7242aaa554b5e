// MSBuild task compiled by RoslynCodeTaskFactory; see WeakGlibcxxNeed.targets for why it exists.
using System;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class WeakenElfVersionNeed : Task
{
    private const ushort VerFlgWeak = 0x2;
    private const uint ShtGnuVerneed = 0x6ffffffe;

    [Required] public ITaskItem[] Folders { get; set; } = Array.Empty<ITaskItem>();
    [Required] public string VersionName { get; set; } = "";

    public override bool Execute()
    {
        if (SystemProvides(VersionName))
        {
            Log.LogMessage(MessageImportance.Low, $"libstdc++ provides {VersionName}; nothing to weaken.");
            return true;
        }
        foreach (var folder in Folders.Select(f => f.ItemSpec).Where(Directory.Exists).Distinct())
        {
            foreach (var file in Directory.EnumerateFiles(folder, "libLibTorchSharp.so*", SearchOption.AllDirectories))
            {
                try
                {
                    var changed = Weaken(file, VersionName);
                    Log.LogMessage(MessageImportance.Normal,
                        changed ? $"Weakened version need {VersionName} in {file}" : $"{file}: already weak or no need on {VersionName}");
                }
                catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
                {
                    Log.LogError($"{file}: cannot weaken version need {VersionName}: {e.Message}");
                }
            }
        }
        return !Log.HasLoggedErrors;
    }

    // A libstdc++ defines its versions as strings in .gnu.version_d/.dynstr; looking for the
    // NUL-terminated name is enough to tell whether the loader will find it.
    private static bool SystemProvides(string version)
    {
        string[] candidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
        };
        var path = candidates.FirstOrDefault(File.Exists);
        if (path is null) return false;
        var needle = Encoding.ASCII.GetBytes(version + "\0");
        var bytes = File.ReadAllBytes(path);
        for (int i = 0; i + needle.Length <= bytes.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && bytes[i + j] == needle[j]) j++;
            if (j == needle.Length) return true;
        }
        return false;
    }

    /// <summary>Sets VER_FLG_WEAK on the Vernaux entry named <paramref name="version"/>; returns true if the file changed.</summary>
    public static bool Weaken(string path, string version)
    {
        var elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1) throw new InvalidDataException("only 64-bit little-endian ELF is supported");

        ulong shoff = BitConverter.ToUInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A);
        int shnum = BitConverter.ToUInt16(elf, 0x3C);
        bool changed = false;
        for (int i = 0; i < shnum; i++)
        {
            int sh = checked((int)shoff + i * shentsize);
            if (BitConverter.ToUInt32(elf, sh + 4) != ShtGnuVerneed) continue;
            int link = (int)BitConverter.ToUInt32(elf, sh + 40);
            long offset = (long)BitConverter.ToUInt64(elf, sh + 24);
            int count = (int)BitConverter.ToUInt32(elf, sh + 44); // sh_info: number of Verneed entries
            long strtab = (long)BitConverter.ToUInt64(elf, checked((int)shoff + link * shentsize + 24));

            long need = offset;
            for (int n = 0; n < count; n++)
            {
                int auxCount = BitConverter.ToUInt16(elf, (int)need + 2);
                long aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    int flagsAt = (int)aux + 4;
                    uint nameOffset = BitConverter.ToUInt32(elf, (int)aux + 8);
                    if (ReadString(elf, strtab + nameOffset) == version)
                    {
                        ushort flags = BitConverter.ToUInt16(elf, flagsAt);
                        if ((flags & VerFlgWeak) == 0)
                        {
                            BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(elf, flagsAt);
                            changed = true;
                        }
                    }
                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                }
                need += BitConverter.ToUInt32(elf, (int)need + 12);
            }
        }
        if (changed)
        {
            // Write beside, then replace, so an interrupted build never leaves half a library.
            // (The task compiles against netstandard2.0, which has no File.Move overwrite.)
            var temp = path + ".untangle-tmp";
            File.WriteAllBytes(temp, elf);
            File.Delete(path);
            File.Move(temp, path);
        }
        return changed;
    }

    private static string ReadString(byte[] elf, long at)
    {
        int end = (int)at;
        while (end < elf.Length && elf[end] != 0) end++;
        return Encoding.ASCII.GetString(elf, (int)at, end - (int)at);
    }
}
