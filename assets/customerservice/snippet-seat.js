/****             初始化坐席登录悬浮框             *****/
(function() {
    var hostname = "__HOSTNAME__";
    var obj_2=document.createElement("div");//创建一个坐席登录悬浮框
    obj_2.id="com.vtc365.SeatLogin";//初始化悬浮框唯一标识
    //设置悬浮框样式(背景,宽度,高度,边框,定位)
    obj_2.setAttribute("style", "background: #68b325; position: fixed; width: 200px; height: 37px;"+
    "border-radius: 2px;cursor: pointer;left: 0;bottom: 0;font-size: 18px; line-height: 37px;"+
    "text-align: center; color: #ffffff;z-index:9999");
    //设置悬浮框上图标及字样
     obj_2.innerHTML="<img style='float:left;margin-left:39px; margin-top:6px;' "+
     "src='"+hostname+"images/mydiv_ico.png' width='28' height='26' />"+
     "<div style='float:left;line-height:37px;margin-left:15px;' > 登录坐席</div>";
     //将悬浮框加到当前页面
     document.body.appendChild(obj_2);
     //点击弹出对话框
     document.getElementById(obj_2.id).onclick=function(){
       window.open (hostname+"chat4tp.do", "_blank", "height=650, width=960,"+
       "toolbar =no, scrollbars=no,menubar=no, location=no, status=no")
      };
})();
