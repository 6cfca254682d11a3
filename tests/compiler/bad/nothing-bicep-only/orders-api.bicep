param serviceName string

resource api 'Microsoft.ApiManagement/service/apis@2024-05-01' = {
  name: '${serviceName}/orders-api'
  properties: {
    displayName: 'Orders API'
    path: 'orders'
  }
}
