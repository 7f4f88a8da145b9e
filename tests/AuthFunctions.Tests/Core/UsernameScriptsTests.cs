using AuthFunctions.Core.Users;

namespace AuthFunctions.Tests.Core;

/// <summary>UTS #39 "moderately restrictive" for new usernames: no name that mixes scripts which pass for one another.</summary>
public sealed class UsernameScriptsTests
{
    [Theory]
    [InlineData("admin")]
    [InlineData("jean-luc.picard_2")]
    [InlineData("Zoë Ångström")]
    [InlineData("иван")]
    [InlineData("Ιωάννης")]
    [InlineData("山田太郎")]
    [InlineData("やまだ タロウ")]
    [InlineData("yamada山田たろうタロウ")]
    [InlineData("王小明ㄅ")]
    [InlineData("kim김민준金")]
    [InlineData("مريم")]
    [InlineData("maria.مريم")]
    [InlineData("שרה")]
    [InlineData("राम")]
    [InlineData("ram राम")]
    [InlineData("mariaמריה")]
    [InlineData("สมชาย")]
    [InlineData("ნინო")]
    [InlineData("user 42 (ops) ✓")]
    [InlineData("josé")]
    [InlineData("ሰላም")]
    [InlineData("ﾀﾛｳ")]
    [InlineData("カーリー")]
    public void A_name_in_one_script_or_an_allowed_mix_is_allowed(string username) => Assert.True(UsernameScripts.AreAllowed(username));

    [Theory]
    [InlineData("\u0430dmin")]        // Cyrillic а among Latin
    [InlineData("p\u0430ypal")]
    [InlineData("\u03BFps")]          // Greek omicron among Latin
    [InlineData("admin\u13AA")]       // Cherokee among Latin
    [InlineData("иван\u03B1")]         // Cyrillic with Greek
    [InlineData("maria.مريم.שרה")]    // Latin with two others (Arabic and Hebrew)
    [InlineData("김민준たろう")]        // Hangul with Hiragana
    [InlineData("иван山田")]           // Cyrillic with Han
    public void A_name_that_mixes_scripts_which_pass_for_one_another_is_refused(string username) => Assert.False(UsernameScripts.AreAllowed(username));
}
