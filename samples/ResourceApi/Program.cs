using AuthFunctions.Samples.ResourceApi;

var app = ResourceApiApp.Build(args);
await app.RunAsync();
