// AuthFunctions in one resource group: storage, Key Vault, monitoring, the Flex Consumption
// Function app and its role assignments. No secret in any app setting; every access by the
// app's managed identity.
targetScope = 'resourceGroup'

@description('Prefix of every resource name: 3-11 lower-case letters and digits.')
@minLength(3)
@maxLength(11)
param namePrefix string = 'authfn'

@description('Azure region; defaults to the resource group\'s.')
param location string = resourceGroup().location

@description('The iss of every token. Empty: the Function app\'s own https URL.')
param issuer string = ''

@description('The aud of every token.')
param audience string = 'authfunctions'

@description('Issuer of license-system tokens (empty until the license login is configured).')
param licenseSystemIssuer string = ''

@description('Audience of license-system tokens.')
param licenseSystemAudience string = ''

@description('JWKS URI of the license system.')
param licenseSystemJwksUri string = ''

@allowed(['Standard_LRS', 'Standard_ZRS', 'Standard_GRS', 'Standard_GZRS'])
param storageSku string = 'Standard_LRS'

@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Six-field NCRONTAB schedule of the purge timer.')
param purgeSchedule string = '0 */5 * * * *'

@description('Username of the super user that the app creates at its first start.')
param superUserName string = 'admin'

@description('Name of the Key Vault secret that holds the super user\'s first password (set by the operator, never in a parameter).')
param superUserPasswordSecretName string = 'bootstrap-superuser-password'

@minValue(30)
param logRetentionDays int = 30

var suffix = uniqueString(resourceGroup().id)
var deploymentContainerName = 'app-package'
var storageAccountName = take('${namePrefix}${suffix}', 24)
var vaultName = take('${namePrefix}-kv-${suffix}', 24)
var appInsightsName = '${namePrefix}-ai-${suffix}'
var appName = '${namePrefix}-${suffix}'

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: storageAccountName
    location: location
    sku: storageSku
    deploymentContainerName: deploymentContainerName
  }
}

module vault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: vaultName
    location: location
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    workspaceName: '${namePrefix}-logs-${suffix}'
    appInsightsName: appInsightsName
    location: location
    retentionInDays: logRetentionDays
  }
}

module app 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    planName: '${namePrefix}-plan-${suffix}'
    appName: appName
    location: location
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: deploymentContainerName
    appInsightsConnectionString: monitoring.outputs.connectionString
    vaultUri: vault.outputs.uri
    issuer: issuer
    audience: audience
    purgeSchedule: purgeSchedule
    superUserName: superUserName
    superUserPasswordSecretName: superUserPasswordSecretName
    licenseSystemIssuer: licenseSystemIssuer
    licenseSystemAudience: licenseSystemAudience
    licenseSystemJwksUri: licenseSystemJwksUri
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  params: {
    appName: appName
    storageAccountName: storageAccountName
    vaultName: vaultName
    appInsightsName: appInsightsName
  }
  dependsOn: [app, storage, vault, monitoring]
}

output functionAppUrl string = app.outputs.url
output issuer string = empty(issuer) ? app.outputs.url : issuer
output vaultUri string = vault.outputs.uri
output functionAppName string = app.outputs.name
output storageAccountName string = storage.outputs.name
output vaultName string = vault.outputs.name
