// The Function app on Flex Consumption: dotnet-isolated 10.0, system-assigned identity,
// identity-based host storage and deployment storage, app settings without any secret.

param planName string

param appName string

param location string

param blobEndpoint string

param queueEndpoint string

param tableEndpoint string

param deploymentContainerName string

param appInsightsConnectionString string

param vaultUri string

param issuer string

param audience string

param purgeSchedule string

param superUserName string

param superUserPasswordSecretName string

param licenseSystemIssuer string

param licenseSystemAudience string

param licenseSystemJwksUri string

@allowed([512, 2048, 4096])
param instanceMemoryMB int

@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  kind: 'functionapp,linux'
  identity: { type: 'SystemAssigned' }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainerName}'
          authentication: { type: 'SystemAssignedIdentity' }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
  }
}

// On Flex Consumption the runtime lives in functionAppConfig: no FUNCTIONS_WORKER_RUNTIME,
// FUNCTIONS_EXTENSION_VERSION or WEBSITE_RUN_FROM_PACKAGE here. Every value is a name, a URI or
// a flag; credentials come from the managed identity.
resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: {
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__blobServiceUri: blobEndpoint
    AzureWebJobsStorage__queueServiceUri: queueEndpoint
    AzureWebJobsStorage__tableServiceUri: tableEndpoint
    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD'
    Storage__TableServiceUri: tableEndpoint
    Keys__Store: 'KeyVault'
    KeyVault__Uri: vaultUri
    Auth__Issuer: empty(issuer) ? 'https://${site.properties.defaultHostName}' : issuer
    Auth__Audience: audience
    Purge__Schedule: purgeSchedule
    Bootstrap__SuperUser__Username: superUserName
    Bootstrap__SuperUser__PasswordSecretName: superUserPasswordSecretName
    LicenseSystem__Issuer: licenseSystemIssuer
    LicenseSystem__Audience: licenseSystemAudience
    LicenseSystem__JwksUri: licenseSystemJwksUri
  }
}

output name string = site.name
output url string = 'https://${site.properties.defaultHostName}'
