using AuthFunctions.Core.Principals;

namespace AuthFunctions.Tests.Core;

public sealed class RightNamesTests
{
    [Fact]
    public void Names_are_the_lower_case_contract_names_in_a_fixed_order()
    {
        Assert.Equal(["data", "index", "modify", "statistics", "management", "administration", "authenticate"], RightNames.ToNames((Rights)0x7F));
        Assert.Empty(RightNames.ToNames(Rights.None));
    }

    [Fact]
    public void Parsing_round_trips_and_names_the_first_unknown_right()
    {
        Assert.True(RightNames.TryParse(["index", "data"], out var rights, out _));
        Assert.Equal(Rights.Data | Rights.Index, rights);

        Assert.False(RightNames.TryParse(["data", "Data", "root"], out _, out var unknown));
        Assert.Equal("Data", unknown);
    }

    [Theory]
    [InlineData("server-1", true)]
    [InlineData("a", true)]
    [InlineData("-leading-dash", false)]
    [InlineData("has/slash", false)]
    [InlineData("has space", false)]
    [InlineData("", false)]
    [InlineData("acme\n", false)]
    public void Names_are_safe_table_keys(string name, bool valid) => Assert.Equal(valid, Identifiers.TryName(name, out _));

    [Theory]
    [InlineData("alice", true)]
    [InlineData("Alice Smith", true)]
    [InlineData("ann@example.com", true)]
    [InlineData("with:colon", false)]
    [InlineData(" padded", false)]
    [InlineData("tab\there", false)]
    [InlineData("a#b", false)]
    [InlineData("bob\n", false)]
    public void Usernames_exclude_colons_and_table_key_characters(string username, bool valid) =>
        Assert.Equal(valid, Identifiers.TryUsername(username, out _));

    [Theory]
    [InlineData("u_AbC-_09", true)]
    [InlineData("p_x", true)]
    [InlineData("u_x\n", false)]
    [InlineData("U_x", false)]
    [InlineData("u_x/y", false)]
    [InlineData("no-prefix", false)]
    public void Generated_ids_are_a_prefix_and_base64url(string id, bool valid) => Assert.Equal(valid, Identifiers.IsGeneratedId(id));
}
