/**
 * The WSDL served at `GET <endpoint>?wsdl`, generated from the method table so it can never disagree with what
 * the service accepts. Types follow the Web Connector contract: document/literal, elementFormDefault qualified,
 * namespace http://developer.intuit.com/, int percentages and qbXML versions, ArrayOfString for authenticate.
 */

import { escapeXml } from '../../xml/index.ts';
import { INTUIT_NAMESPACE, WEB_CONNECTOR_METHODS, type WebConnectorMethod } from './envelope.ts';

const INT_PARAMETERS = new Set(['qbXMLMajorVers', 'qbXMLMinorVers']);

function requestElement(method: WebConnectorMethod): string {
  const parameters = WEB_CONNECTOR_METHODS[method].parameters as readonly string[];
  if (parameters.length === 0) return `<xs:element name="${method}"><xs:complexType /></xs:element>`;
  const fields = parameters
    .map((name) =>
      INT_PARAMETERS.has(name)
        ? `<xs:element name="${name}" type="xs:int" minOccurs="1" maxOccurs="1" />`
        : `<xs:element name="${name}" type="xs:string" minOccurs="0" maxOccurs="1" />`,
    )
    .join('');
  return `<xs:element name="${method}"><xs:complexType><xs:sequence>${fields}</xs:sequence></xs:complexType></xs:element>`;
}

function responseElement(method: WebConnectorMethod): string {
  const kind = WEB_CONNECTOR_METHODS[method].result;
  const result =
    kind === 'int'
      ? `<xs:element name="${method}Result" type="xs:int" minOccurs="1" maxOccurs="1" />`
      : `<xs:element name="${method}Result" type="${kind === 'strings' ? 'qb:ArrayOfString' : 'xs:string'}" minOccurs="0" maxOccurs="1" />`;
  return `<xs:element name="${method}Response"><xs:complexType><xs:sequence>${result}</xs:sequence></xs:complexType></xs:element>`;
}

function binding(name: string, soapPrefix: 'soap' | 'soap12'): string {
  const operations = (Object.keys(WEB_CONNECTOR_METHODS) as WebConnectorMethod[])
    .map(
      (method) =>
        `<wsdl:operation name="${method}"><${soapPrefix}:operation soapAction="${INTUIT_NAMESPACE}${method}" style="document" />` +
        `<wsdl:input><${soapPrefix}:body use="literal" /></wsdl:input><wsdl:output><${soapPrefix}:body use="literal" /></wsdl:output></wsdl:operation>`,
    )
    .join('\n    ');
  return `  <wsdl:binding name="${name}" type="qb:WebConnectorPort">
    <${soapPrefix}:binding transport="http://schemas.xmlsoap.org/soap/http" style="document" />
    ${operations}
  </wsdl:binding>`;
}

/** `serviceUrl` is the endpoint written into the WSDL's addresses (the URL the WSDL was fetched from). */
export function buildWebConnectorWsdl(serviceUrl: string): string {
  const methods = Object.keys(WEB_CONNECTOR_METHODS) as WebConnectorMethod[];
  const elements = methods.flatMap((m) => [requestElement(m), responseElement(m)]).join('\n      ');
  const messages = methods
    .map(
      (m) =>
        `<wsdl:message name="${m}In"><wsdl:part name="parameters" element="qb:${m}" /></wsdl:message>` +
        `<wsdl:message name="${m}Out"><wsdl:part name="parameters" element="qb:${m}Response" /></wsdl:message>`,
    )
    .join('\n  ');
  const operations = methods
    .map(
      (m) =>
        `<wsdl:operation name="${m}"><wsdl:input message="qb:${m}In" /><wsdl:output message="qb:${m}Out" /></wsdl:operation>`,
    )
    .join('\n    ');
  const address = escapeXml(serviceUrl);
  return `<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:qb="${INTUIT_NAMESPACE}" targetNamespace="${INTUIT_NAMESPACE}">
  <wsdl:documentation>QuickBooks Desktop connector for Shopify: the service the QuickBooks Web Connector calls.</wsdl:documentation>
  <wsdl:types>
    <xs:schema targetNamespace="${INTUIT_NAMESPACE}" elementFormDefault="qualified">
      <xs:complexType name="ArrayOfString"><xs:sequence><xs:element name="string" type="xs:string" nillable="true" minOccurs="0" maxOccurs="unbounded" /></xs:sequence></xs:complexType>
      ${elements}
    </xs:schema>
  </wsdl:types>
  ${messages}
  <wsdl:portType name="WebConnectorPort">
    ${operations}
  </wsdl:portType>
${binding('WebConnectorSoap11', 'soap')}
${binding('WebConnectorSoap12', 'soap12')}
  <wsdl:service name="QuickBooksConnector">
    <wsdl:port name="WebConnectorSoap11" binding="qb:WebConnectorSoap11"><soap:address location="${address}" /></wsdl:port>
    <wsdl:port name="WebConnectorSoap12" binding="qb:WebConnectorSoap12"><soap12:address location="${address}" /></wsdl:port>
  </wsdl:service>
</wsdl:definitions>
`;
}
