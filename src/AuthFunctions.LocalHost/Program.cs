using AuthFunctions.LocalHost;

var app = LocalHostApp.Build(args);
await app.RunAsync();
