{{- define "kube-prometheus-stack.fullname" -}}
{{- printf "%s" .Release.Name | trunc 26 | trimSuffix "-" -}}
{{- end -}}

{{- define "kube-prometheus-stack.labels" -}}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: kube-prometheus-stack
chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
release: {{ .Release.Name | quote }}
{{- end -}}

{{- define "kube-prometheus-stack.image" -}}
{{- printf "%s/%s:%s" .registry .repository .tag -}}
{{- end -}}
