{{- define "aws-ebs-csi-driver.labels" -}}
app.kubernetes.io/name: aws-ebs-csi-driver
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "aws-ebs-csi-driver.image" -}}
{{- printf "%s:%s" .repository .tag -}}
{{- end -}}
