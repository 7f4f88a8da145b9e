namespace AuthFunctions.Tests.Infrastructure;

/// <summary>Where the repository is, found from the test binaries.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AuthFunctions.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("AuthFunctions.sln not found above " + AppContext.BaseDirectory);
    }
}
