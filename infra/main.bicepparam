using 'main.bicep'

// Sensible defaults; override any of them on the command line (--parameters name=value).
param namePrefix = 'authfn'
param issuer = ''
param audience = 'authfunctions'
param licenseSystemIssuer = ''
param licenseSystemAudience = ''
param licenseSystemJwksUri = ''
param storageSku = 'Standard_LRS'
param instanceMemoryMB = 2048
param maximumInstanceCount = 40
param purgeSchedule = '0 */5 * * * *'
param superUserName = 'admin'
param superUserPasswordSecretName = 'bootstrap-superuser-password'
param logRetentionDays = 30
