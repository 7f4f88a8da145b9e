namespace AuthFunctions.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void Addition_works() => Assert.Equal(2, 1 + 1);
}
