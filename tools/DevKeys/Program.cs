using System.Text.Json;
using System.Text.Json.Nodes;
using AuthFunctions.LocalHost.Development;

// devkeys: development ES256 keys in $AUTHFN_DATA_DIR/dev-keys (the local host's data folder, .data by
// default, so run it from the clone's folder), for the walk-throughs. Never for production.
const string Usage = """
    usage: dotnet run --project tools/DevKeys -- <command>
      key <name>                       the key's public JWK (the key is made on first use)
      jwks <name>                      the same as a JWKS document
      sign <name> [claim=text | claim:=json]...
                                       a JWT signed with the key (header kid = <name>); iat, exp
                                       (iat + 240 s) and a fresh jti are added unless given
    The local host trusts the key 'dev-license-system' as its license system (issuer
    dev-license-system, audience authfunctions) while no LicenseSystem setting is made.
    """;

if (args.Length < 2 || args[0] is not ("key" or "jwks" or "sign") || (args[0] != "sign" && args.Length != 2))
{
    Console.Error.WriteLine(Usage);
    return 2;
}

if (!DevelopmentKey.IsValidName(args[1]))
{
    Console.Error.WriteLine($"devkeys: a key name is 1 to 64 lower-case letters, digits or '-': '{args[1]}' is not.");
    return 2;
}

var folder = Path.GetFullPath(Path.Combine(Environment.GetEnvironmentVariable("AUTHFN_DATA_DIR") ?? ".data", "dev-keys"));
using var key = DevelopmentKey.LoadOrCreate(folder, args[1]);
switch (args[0])
{
    case "key":
        Console.WriteLine(key.PublicJwk().ToJsonString());
        return 0;
    case "jwks":
        Console.WriteLine(key.PublicJwks());
        return 0;
}

var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
var payload = new JsonObject { ["iat"] = now, ["exp"] = now + 240, ["jti"] = Guid.NewGuid().ToString() };
foreach (var claim in args.Skip(2))
{
    var equals = claim.IndexOf('=', StringComparison.Ordinal);
    var json = equals > 0 && claim[equals - 1] == ':';
    var name = equals > 0 ? claim[..(json ? equals - 1 : equals)] : string.Empty;
    if (name.Length == 0)
    {
        Console.Error.WriteLine($"devkeys: '{claim}' is not claim=text or claim:=json.");
        return 2;
    }

    try
    {
        payload[name] = json ? JsonNode.Parse(claim[(equals + 1)..]) : claim[(equals + 1)..];
    }
    catch (JsonException)
    {
        Console.Error.WriteLine($"devkeys: the value of '{name}' is not JSON.");
        return 2;
    }
}

Console.WriteLine(key.Sign(payload));
return 0;
