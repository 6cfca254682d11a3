param serviceName string = 'contoso-apim'

resource service 'Microsoft.ApiManagement/service@2024-05-01' existing = {
  name: serviceName
}
