namespace AuthFunctions.Core.Principals;

/// <summary>
/// The <c>sub</c> of every kind of principal. Ours are <c>magma:&lt;key&gt;</c> and <c>u_…</c> (users);
/// subjects that another system vouches for are namespaced by who vouches, so that they never equal
/// one of ours nor each other: a delegated user "42" of two trusted servers is two subjects.
/// </summary>
public static class Subjects
{
    public const string MagmaPrefix = "magma:";
    public const string DelegatedPrefix = "delegated:";
    public const string LicensePrefix = "license:";
    public const string PluginPrefix = "plugin:";
    public const string PluginConnectionPrefix = "plugin-connection:";

    /// <summary>A magma key acting for itself.</summary>
    public static string Magma(string keyName) => MagmaPrefix + keyName;

    /// <summary>
    /// A user of the trusted server behind <paramref name="keyName"/> (a delegated login or an SSO
    /// assertion signed for that key). Key names cannot contain ':', so the form is unambiguous.
    /// </summary>
    public static string Delegated(string keyName, string userId) => DelegatedPrefix + keyName + ":" + userId;

    /// <summary>A license holder, as the license system names it.</summary>
    public static string License(string licenseSubject) => LicensePrefix + licenseSubject;

    /// <summary>A plugin acting with its own credentials (for logs and audit; plugins get no tokens).</summary>
    public static string Plugin(string pluginId) => PluginPrefix + pluginId;

    /// <summary>A plugin connection acting in its tenant.</summary>
    public static string PluginConnection(string connectionId) => PluginConnectionPrefix + connectionId;
}
