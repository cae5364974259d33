import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';

const en = {
  app: 'GopherCron',
  nav: { dashboard: 'Dashboard', projects: 'Projects', agents: 'Agents', cluster: 'Cluster', users: 'Users', profile: 'Profile', logout: 'Log out' },
  common: {
    save: 'Save', cancel: 'Cancel', delete: 'Delete', create: 'Create', edit: 'Edit', search: 'Search', name: 'Name', remark: 'Remark',
    actions: 'Actions', loading: 'Loading…', none: 'Nothing here yet.', confirm: 'Are you sure?', back: 'Back', copy: 'Copy', copied: 'Copied',
    language: 'Language', theme: 'Toggle light or dark', menu: 'Menu', yes: 'Yes', no: 'No', close: 'Close', refresh: 'Refresh', live: 'Live updates connected', offline: 'Live updates disconnected, reconnecting',
  },
  login: { title: 'Sign in to GopherCron', account: 'Account', password: 'Password', submit: 'Sign in' },
  password: {
    title: 'Change your password', forced: 'This is the first sign-in with the initial password. Choose a new one to continue.',
    current: 'Current password', new: 'New password', repeat: 'Repeat the new password', mismatch: 'The passwords differ.', submit: 'Change password', done: 'Password changed',
  },
  profile: { title: 'Profile', account: 'Account', admin: 'System administrator', member: 'User', created: 'Created' },
  dashboard: {
    title: 'Dashboard', runsPerDay: 'Runs per day', succeeded: 'Succeeded', failed: 'Failed', tasksPerProject: 'Tasks per project',
    recentFailures: 'Recent failures', agentsOnline: 'Agents online', cluster: 'Cluster health', noFailures: 'No failures.', tasks: 'tasks', enabled: 'enabled',
  },
  projects: {
    title: 'Projects', new: 'New project', edit: 'Edit project', deleteConfirm: 'Delete project {{name}} with all its tasks, runs and output?',
    role: 'Your role', tasks: 'Tasks', runs: 'Runs', members: 'Members', token: 'Agent token', agents: 'Agents', settings: 'Settings',
    tokenHelp: 'Agents of this project present this token when they connect.', regenerate: 'Regenerate', regenerateConfirm: 'Agents using the old token will be refused. Regenerate?',
    show: 'Show', hide: 'Hide', addMember: 'Add member', account: 'Account', memberRole: 'Role', remove: 'Remove',
  },
  tasks: {
    new: 'New task', edit: 'Edit task', status: 'Status', running: 'Running', scheduled: 'Scheduled', paused: 'Paused', next: 'Next fire',
    runNow: 'Run now', pause: 'Pause', resume: 'Resume', copy: 'Copy', copyTo: 'Copy to project', copyName: 'Name of the copy (optional)',
    deleteConfirm: 'Delete task {{name}}?', cron: 'Schedule (cron)', timeZone: 'Time zone', executor: 'Executor', config: 'Executor settings',
    timeout: 'Timeout (seconds)', overlap: 'Overlap', misfire: 'Misfire', parallel: 'Run on every eligible agent', retryAttempts: 'Retry attempts',
    retryBackoff: 'Retry backoff (seconds)', enabledField: 'Enabled', labels: 'Required agent labels', started: 'Run {{id}} started',
    copied: 'Copied as {{name}} (paused)', scheduleError: 'Schedule error',
  },
  cron: { next: 'Next five fires ({{zone}})', invalid: 'Not a valid expression', every: 'Shortest interval: {{seconds}} s' },
  runs: {
    title: 'Runs', id: 'Run', task: 'Task', status: 'Status', trigger: 'Trigger', agent: 'Agent', scheduled: 'Scheduled', duration: 'Duration',
    output: 'Output', kill: 'Kill', download: 'Download', follow: 'Follow', exitCode: 'Exit code', error: 'Error', attempt: 'Attempt', live: 'live',
    noOutput: '(no output)', killConfirm: 'Kill run {{id}}?', notSucceeded: 'A run did not succeed',
  },
  status: { pending: 'pending', running: 'running', succeeded: 'succeeded', failed: 'failed', timedOut: 'timed out', killed: 'killed', skipped: 'skipped', lost: 'lost' },
  agents: { title: 'Agents', online: 'online', offline: 'offline', labels: 'Labels', version: 'Version', weight: 'Weight', heartbeat: 'Last heartbeat', executors: 'Executors', projects: 'Projects', all: 'all' },
  cluster: { title: 'Cluster', role: 'This replica', term: 'Term', leader: 'Leader', replicas: 'Replicas', standalone: 'Standalone (one host schedules)', healthy: 'healthy', noLeader: 'no leader' },
  users: {
    title: 'Users', new: 'New user', admin: 'Administrator', reset: 'Reset password', newPassword: 'New password', deleteConfirm: 'Delete user {{account}}?', mustChange: 'must change password',
  },
};

type Tree = { [key: string]: string | Tree };

const zh: typeof en = {
  app: 'GopherCron',
  nav: { dashboard: '概览', projects: '项目', agents: '执行节点', cluster: '集群', users: '用户', profile: '个人资料', logout: '退出登录' },
  common: {
    save: '保存', cancel: '取消', delete: '删除', create: '创建', edit: '编辑', search: '搜索', name: '名称', remark: '备注',
    actions: '操作', loading: '加载中…', none: '暂无数据。', confirm: '确定吗？', back: '返回', copy: '复制', copied: '已复制',
    language: '语言', theme: '切换浅色或深色', menu: '菜单', yes: '是', no: '否', close: '关闭', refresh: '刷新', live: '实时更新已连接', offline: '实时更新已断开，正在重连',
  },
  login: { title: '登录 GopherCron', account: '账号', password: '密码', submit: '登录' },
  password: {
    title: '修改密码', forced: '这是使用初始密码的首次登录，请设置新密码后继续。',
    current: '当前密码', new: '新密码', repeat: '再次输入新密码', mismatch: '两次输入的密码不一致。', submit: '修改密码', done: '密码已修改',
  },
  profile: { title: '个人资料', account: '账号', admin: '系统管理员', member: '普通用户', created: '创建时间' },
  dashboard: {
    title: '概览', runsPerDay: '每日运行次数', succeeded: '成功', failed: '失败', tasksPerProject: '各项目任务数',
    recentFailures: '最近失败', agentsOnline: '在线节点', cluster: '集群状态', noFailures: '没有失败。', tasks: '个任务', enabled: '个启用',
  },
  projects: {
    title: '项目', new: '新建项目', edit: '编辑项目', deleteConfirm: '删除项目 {{name}} 及其全部任务、运行记录和输出？',
    role: '我的角色', tasks: '任务', runs: '运行记录', members: '成员', token: '节点令牌', agents: '执行节点', settings: '设置',
    tokenHelp: '本项目的执行节点连接时出示此令牌。', regenerate: '重新生成', regenerateConfirm: '使用旧令牌的节点将被拒绝，确定重新生成？',
    show: '显示', hide: '隐藏', addMember: '添加成员', account: '账号', memberRole: '角色', remove: '移除',
  },
  tasks: {
    new: '新建任务', edit: '编辑任务', status: '状态', running: '运行中', scheduled: '已调度', paused: '已暂停', next: '下次执行',
    runNow: '立即运行', pause: '暂停', resume: '恢复', copy: '复制', copyTo: '复制到项目', copyName: '副本名称（可选）',
    deleteConfirm: '删除任务 {{name}}？', cron: '调度表达式 (cron)', timeZone: '时区', executor: '执行器', config: '执行器设置',
    timeout: '超时（秒）', overlap: '重叠策略', misfire: '错过策略', parallel: '在所有符合条件的节点上运行', retryAttempts: '重试次数',
    retryBackoff: '重试间隔（秒）', enabledField: '启用', labels: '节点标签要求', started: '运行 {{id}} 已开始',
    copied: '已复制为 {{name}}（已暂停）', scheduleError: '调度错误',
  },
  cron: { next: '接下来五次执行（{{zone}}）', invalid: '表达式无效', every: '最短间隔：{{seconds}} 秒' },
  runs: {
    title: '运行记录', id: '运行', task: '任务', status: '状态', trigger: '触发方式', agent: '节点', scheduled: '计划时间', duration: '耗时',
    output: '输出', kill: '终止', download: '下载', follow: '跟随', exitCode: '退出码', error: '错误', attempt: '第几次', live: '实时',
    noOutput: '（无输出）', killConfirm: '终止运行 {{id}}？', notSucceeded: '有运行未成功',
  },
  status: { pending: '等待中', running: '运行中', succeeded: '成功', failed: '失败', timedOut: '超时', killed: '已终止', skipped: '已跳过', lost: '丢失' },
  agents: { title: '执行节点', online: '在线', offline: '离线', labels: '标签', version: '版本', weight: '权重', heartbeat: '最近心跳', executors: '执行器', projects: '项目', all: '全部' },
  cluster: { title: '集群', role: '当前副本', term: '任期', leader: '领导者', replicas: '副本', standalone: '单机（一个主机负责调度）', healthy: '健康', noLeader: '无领导者' },
  users: {
    title: '用户', new: '新建用户', admin: '管理员', reset: '重置密码', newPassword: '新密码', deleteConfirm: '删除用户 {{account}}？', mustChange: '需修改密码',
  },
};

export const LANGUAGE_KEY = 'gophercron.language';

export function initialLanguage(): string {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(LANGUAGE_KEY) : null;
  if (saved === 'en' || saved === 'zh') return saved;
  return typeof navigator !== 'undefined' && navigator.language?.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en as Tree }, zh: { translation: zh as Tree } },
  lng: initialLanguage(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
});

if (typeof document !== 'undefined') document.documentElement.lang = initialLanguage() === 'zh' ? 'zh-CN' : 'en';

i18n.on('languageChanged', (lng) => {
  localStorage.setItem(LANGUAGE_KEY, lng);
  document.documentElement.lang = lng === 'zh' ? 'zh-CN' : 'en';
});

export default i18n;
