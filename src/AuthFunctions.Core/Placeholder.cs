namespace AuthFunctions.Core;

internal static class Placeholder;
